/**
 * The HIS believed only when it proves itself. A fake HIS on loopback that
 * answers "ok" (or "refused") without the shared key's signature must not
 * make the platform credit a deposit or tell the cashier to pay out: its
 * answers are unknown outcomes, asked again, then left for a person.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../src/his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

/** Answers every call as a generous HIS would, but cannot sign: it does not hold the key. */
async function impostorHis(): Promise<{ url: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    const body = JSON.stringify({
      code: '0',
      msg: 'ok',
      callsn: 'FAKE1',
      balance: '5000.00',
      cardType: '03',
      cardNo: 'HP1',
      hisCustId: 'HHP1',
      accountType: '02',
      accountNo: 'X',
      status: '01',
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-onepay-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-onepay-signature': 'a'.repeat(64),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

for (const database of TEST_DATABASES) {
  describe(`an HIS that cannot prove itself, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let his: Awaited<ReturnType<typeof impostorHis>>;
    before(async () => {
      if (availability.skip) return;
      his = await impostorHis();
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: his.url, key: 'the-real-shared-key', timeoutMs: 1000 },
      });
    });
    after(async () => {
      await t?.close();
      await new Promise((resolve) => his?.server.close(resolve));
    });

    it(
      'its "ok" to a credit is not a credit: the recharge answers 040038 and stays for the sweep',
      availability,
      async () => {
        const answer = await t.client.recharge({
          ...OPERATOR,
          cardType: '03',
          cardNo: 'HP1',
          accountType: '02',
          hisCustId: 'HHP1',
          userName: '赵六',
          amount: '5000.00',
          outChargeNo: 'HP1-C',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        });
        assert.ok(
          his.calls.some((c) => c.includes('credit')),
          'the HIS was asked',
        );
        assert.equal(answer.respCode, '040038', answer.respMsg);
        assert.match(answer.respMsg, /签名|signature|未知/);
        const order = await t.running.platform.store.db
          .selectFrom('orders')
          .select(['state'])
          .where('out_no', '=', 'HP1-C')
          .executeTakeFirstOrThrow();
        assert.equal(order.state, 'exp', 'money received, HIS credit not believed');
      },
    );

    it('its account balance is not shown', availability, async () => {
      const info = await t.client.accountInfo({
        ...OPERATOR,
        cardType: '03',
        cardNo: 'HP1',
        accountType: '02',
      });
      assert.notEqual(info.respCode, '000000', JSON.stringify(info));
    });

    it('its "ok" to a refund does not send the cashier to pay out', availability, async () => {
      // A recharge credited by the real HIS (which signs), then the impostor answers the refund.
      const sim = await startHisSim({ key: 'the-real-shared-key' });
      const app = (url: string) =>
        t.running.platform.apps.configure(t.appid, {
          depositProvider: { kind: 'his-http', baseUrl: url, key: 'the-real-shared-key', timeoutMs: 1000 },
        });
      try {
        await app(sim.url);
        const patient = { ...OPERATOR, cardType: '03', cardNo: 'HP2', accountType: '02', hisCustId: 'HHP2' };
        const paid = await t.client.recharge({
          ...patient,
          userName: '赵六',
          amount: '50.00',
          outChargeNo: 'HP2-C',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        });
        assert.equal(paid.respCode, '000000', paid.respMsg);
        await app(his.url);
        // hisDecide asks the HIS nothing (the HIS itself sent the signed refund request); these two ask it first.
        for (const refundType of ['direct', 'prepareAndConfirm']) {
          const refund = await t.client.refund({
            ...patient,
            amount: '10.00',
            withdrawMode: '0',
            refundType,
            outChargeNo: 'HP2-C',
            outRefundNo: `HP2-R-${refundType}`,
            tradeChannel: 'CASH',
            refundDeskMode: '1',
            extra: { deskflak: '1' },
          });
          assert.notEqual(refund.respCode, '000000', `${refundType}: ${refund.respMsg}`);
        }
      } finally {
        await app(his.url);
        await sim.close();
      }
    });
  });
}
