import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../client/index.js';
import { type RunningPlatform, startPlatform } from '../../server/serve.js';
import { databaseAvailability, POSTGRES_URL, TEST_DATABASES } from '../../testing/databases.js';
import { ledgerViolations } from '../ledger/journal.js';
import { createLogger } from '../log/logger.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres')!;
const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const card = { ...op, cardType: '03', cardNo: 'TWO1', accountType: '01' };
const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;

/**
 * Two platform instances, each with its own connection pool and caches, on
 * one PostgreSQL schema: what running several platform processes looks like
 * to the database. Requests alternate between them.
 */
describe('two platforms on one PostgreSQL', async () => {
  const availability = await databaseAvailability(postgres);
  const appid = `two${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  let a: RunningPlatform;
  let b: RunningPlatform;
  let clients: PayClient[] = [];
  let dropSchema: () => Promise<void> = async () => {};
  before(async () => {
    if (availability.skip) return;
    const shared = await postgres.shared();
    dropSchema = shared.dropSchema;
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-two-'));
    const start = () =>
      startPlatform({
        port: 0,
        dataDir, // one master key for both
        db: POSTGRES_URL,
        ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
        devApps: [`${appid}:${secret}`],
        log: createLogger({ level: 'silent' }),
        settings: { refundMinIntervalMs: 0 },
      });
    a = await start();
    b = await start();
    clients = [a, b].map(
      (r) => new PayClient({ serveraddr: `${r.url}/onepay-web/oneweb/oneapi`, appid, appsecret: secret }),
    );
  });
  after(async () => {
    if (a) assert.deepEqual(await ledgerViolations(a.platform.store.db), []);
    await a?.close();
    await b?.close();
    await dropSchema();
  });

  it(
    '200 concurrent identical recharges through both make one order and 200 identical answers',
    availability,
    async () => {
      const request = {
        ...card,
        hisCustId: 'HT1',
        userName: '钱七',
        amount: '9.99',
        outChargeNo: 'TWO-C1',
        depositType: 'CASH',
        extra: opening,
      };
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => clients[i % 2]!.recharge(request)),
      );
      for (const answer of answers) assert.deepEqual(answer, answers[0]);
      assert.equal(answers[0]?.respCode, '000000', answers[0]?.respMsg);
      const info = await clients[1]!.accountInfo(card);
      assert.equal(p(info)['balance'], '9.99');
    },
  );

  it('100 concurrent refunds through both never refund more than was paid', availability, async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        clients[i % 2]!.refund({
          ...card,
          hisCustId: 'HT1',
          amount: '0.50',
          withdrawMode: '0',
          refundType: 'hisDecide',
          outChargeNo: 'TWO-C1',
          outRefundNo: `TWO-R${i}`,
          tradeChannel: 'CASH',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        }),
      ),
    );
    const ok = answers.filter((x) => x.respCode === '000000').length;
    assert.equal(ok, 19, answers.map((x) => x.respCode).join(','));
    const info = await clients[0]!.accountInfo(card);
    assert.equal(p(info)['balance'], '0.49');
  });

  it('a nonce is accepted once across both', availability, async () => {
    const { deriveKeys, sealRequest } = await import('../../protocol/envelope/index.js');
    const env = sealRequest({
      appid,
      suite: 'SM',
      keys: deriveKeys(secret, 'SM'),
      plaintext: JSON.stringify({ transType: 'hop.account.info', param: card }),
    });
    const post = (r: RunningPlatform) =>
      fetch(`${r.url}/onepay-web/oneweb/oneapi`, {
        method: 'POST',
        body: JSON.stringify(env),
        headers: { 'content-type': 'application/json' },
      }).then((res) => res.json() as Promise<Record<string, unknown>>);
    const first = await post(a);
    assert.ok(typeof first['ct'] === 'string');
    assert.equal((await post(b))['respCode'], '000002');
  });
});
