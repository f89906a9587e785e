/**
 * Attacks on the API over real HTTP: replayed, stale, tampered and
 * wrongly keyed envelopes, and one app reaching for another app's orders
 * (which must look like no order at all). Each refusal is a spec code and
 * moves no money.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Conn } from '../../bench/lib/conn.js';
import { answerCode, type Credentials } from '../../bench/lib/requests.js';
import { PayClient } from '../../src/client/index.js';
import { API_PATH } from '../../src/platform/http.js';
import { keysFromSecret, sealRequest } from '../../src/protocol/envelope/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const OP = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const CARD = { ...OP, cardType: '03', cardNo: 'S1', accountType: '01' };
const OPENING = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const RECHARGE = {
  transType: 'hop.trade.recharge',
  param: {
    ...CARD,
    hisCustId: 'HS1',
    userName: '李四',
    idNo: '',
    amount: '5.00',
    outChargeNo: 'SEC-C1',
    depositType: 'CASH',
    extra: OPENING,
  },
};

for (const database of TEST_DATABASES) {
  describe(`security on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let other: PayClient;
    let conn: Conn;
    let creds: Credentials;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      creds = { appid: t.appid, secret: t.secret, suite: 'SM' };
      const appid = `other${randomBytes(3).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      await t.running.platform.apps.ensure({ name: '另一家医院', appid, secret });
      other = new PayClient({ serveraddr: `${t.running.url}${API_PATH}`, appid, appsecret: secret });
      const url = new URL(t.running.url);
      conn = await Conn.open(url.hostname, Number(url.port), API_PATH);
    });
    after(async () => {
      conn?.close();
      await t?.closeCheckingLedger();
    });

    const sealed = (o: { now?: number; secret?: string; plaintext?: string } = {}) => {
      const keys = keysFromSecret(o.secret ?? creds.secret, 'SM');
      return sealRequest({
        appid: creds.appid,
        suite: 'SM',
        keys,
        plaintext: o.plaintext ?? JSON.stringify(RECHARGE),
        ...(o.now !== undefined ? { now: o.now } : {}),
      });
    };
    const post = async (env: object, nonce: string) => {
      const reply = await conn.post(JSON.stringify(env));
      return { status: reply.status, code: answerCode(creds, reply.body, nonce) };
    };
    const balance = async () => {
      const info = await t.client.accountInfo(CARD);
      return (info['param'] as Record<string, unknown> | undefined)?.['balance'];
    };

    it('a replayed recharge envelope is refused (000002) and pays once', availability, async () => {
      const env = sealed();
      assert.deepEqual(await post(env, env.nonce), { status: 200, code: '000000' });
      assert.deepEqual(await post(env, env.nonce), { status: 401, code: 'plain:000002' });
      assert.equal(await balance(), '5.00');
    });

    it(
      'stale and future timestamps (010006), tampering (000001/000002), wrong secret (010005) move nothing',
      availability,
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const plaintext = JSON.stringify({
          ...RECHARGE,
          param: { ...RECHARGE.param, outChargeNo: 'SEC-C2' },
        });
        for (const env of [sealed({ now: now - 301, plaintext }), sealed({ now: now + 301, plaintext })]) {
          assert.equal((await post(env, env.nonce)).code, 'plain:010006');
        }
        const env = sealed({ plaintext });
        const ct = Buffer.from(env.ct, 'base64');
        ct[3] = (ct[3] ?? 0) ^ 1;
        assert.equal((await post({ ...env, ct: ct.toString('base64') }, env.nonce)).code, 'plain:000001');
        const mac = `${env.mac[0] === 'a' ? 'b' : 'a'}${env.mac.slice(1)}`;
        assert.equal((await post({ ...env, mac }, env.nonce)).code, 'plain:000002');
        // The same business request under another appid's name but this app's keys.
        assert.equal((await post({ ...env, appid: 'nobody' }, env.nonce)).code, 'plain:010004');
        const wrong = sealed({ plaintext, secret: 'definitely-not-the-secret' });
        assert.equal((await post(wrong, wrong.nonce)).code, 'plain:010005');
        const q = await t.client.query({ ...CARD, tradeType: 'hop.trade.recharge', outTradeNo: 'SEC-C2' });
        assert.equal((q['param'] as Record<string, unknown>)['result'], 'notfound');
        assert.equal(await balance(), '5.00');
      },
    );

    it("another app's orders look like none: query, refund and close", availability, async () => {
      const mine = await t.client.query({ ...CARD, tradeType: 'hop.trade.recharge', outTradeNo: 'SEC-C1' });
      const traceNo = String((mine['param'] as Record<string, unknown>)['traceNo']);
      for (const q of [
        { ...CARD, tradeType: 'hop.trade.recharge', outTradeNo: 'SEC-C1' },
        { ...CARD, tradeType: 'hop.trade.recharge', traceNo },
      ]) {
        const answer = await other.query(q);
        assert.equal(answer.respCode, '000000');
        assert.equal((answer['param'] as Record<string, unknown>)['result'], 'notfound');
      }
      const refund = {
        ...CARD,
        hisCustId: 'HS1',
        amount: '1.00',
        withdrawMode: '0',
        refundType: 'hisDecide',
        outRefundNo: 'SEC-R1',
        tradeChannel: 'CASH',
        refundDeskMode: '1',
        extra: { deskflak: '1' },
      };
      assert.equal(
        (await other.refund({ ...refund, traceNo: '', outChargeNo: 'SEC-C1' })).respCode,
        '040008',
      );
      assert.equal((await other.refund({ ...refund, traceNo, outChargeNo: '' })).respCode, '040008');
      assert.equal(
        (await other.rechargeClose({ ...CARD, outChargeNo: 'SEC-C1', closeReason: 'x' })).respCode,
        '030002',
      );
      assert.equal((await other.accountInfo(CARD)).respCode, '031003');
      assert.equal(await balance(), '5.00');
    });
  });
}
