/**
 * Two platform hosts (processes on their own ports, as behind a load
 * balancer) on one PostgreSQL, through the whole money road: a recharge on one
 * is queried, paid, refunded and read on the other; the same request sent to
 * both at once is one order. What one host may not assume — that it saw every
 * request of an order — is exactly what this exercises (docs/deployment.md).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ServerProcess, spawnPlatform } from '../../bench/lib/spawn.js';
import { PayClient } from '../../src/client/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../src/testing/params.js';

const API_PATH = '/onepay-web/oneweb/oneapi';
const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

describe('two platform hosts on one PostgreSQL', async () => {
  if (!postgres) throw new Error('no postgres test database');
  const availability = await databaseAvailability(postgres);
  const appid = `hosts${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(18).toString('base64url');
  const hosts: ServerProcess[] = [];
  let dropSchema = async () => {};
  let a: PayClient;
  let b: PayClient;
  before(async () => {
    if (availability.skip) return;
    const shared = await postgres.shared();
    dropSchema = shared.dropSchema;
    // One master key for both, as docs/deployment.md requires: either host opens what the other sealed.
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-hosts-'));
    for (let i = 0; i < 2; i++) {
      hosts.push(
        await spawnPlatform({
          db: shared.url,
          dataDir,
          devApps: [`${appid}:${secret}`],
          ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
          logLevel: 'silent',
          settings: { refundMinIntervalMs: 0 },
        }),
      );
    }
    const [hostA, hostB] = hosts;
    assert.ok(hostA && hostB);
    a = new PayClient({ serveraddr: `${hostA.url}${API_PATH}`, appid, appsecret: secret });
    b = new PayClient({ serveraddr: `${hostB.url}${API_PATH}`, appid, appsecret: secret });
  });
  after(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await dropSchema();
  });

  const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });

  it(
    'cash in on one host, refund and balance on the other; a retry on the other host is the same order',
    availability,
    async () => {
      const first = await a.recharge({ ...cashRecharge('H1', 'H1-C', '40.00'), idNo: '350203198807074417' });
      assert.equal(first.respCode, '000000', first.respMsg);
      const again = await b.recharge({ ...cashRecharge('H1', 'H1-C', '40.00'), idNo: '350203198807074417' });
      assert.equal(
        p(again)['traceNo'],
        p(first)['traceNo'],
        'the other host sealed the same keyed request hash',
      );
      const refund = await b.refund(cashRefund('H1', 'H1-C', 'H1-R1', '15.00'));
      assert.equal(refund.respCode, '000000', refund.respMsg);
      const info = await a.accountInfo(card('H1'));
      assert.equal(p(info)['balance'], '25.00');
      assert.equal(p(info)['idNo'], '350203198807074417', 'sealed on one host, opened on the other');
    },
  );

  it('the same recharge sent to both hosts at once is one order', availability, async () => {
    const answers = await Promise.all(
      [a, b, a, b].map((c) => c.recharge(cashRecharge('H2', 'H2-C', '9.00'))),
    );
    assert.ok(
      answers.every((x) => x.respCode === '000000'),
      JSON.stringify(answers.map((x) => x.respMsg)),
    );
    assert.equal(new Set(answers.map((x) => p(x)['traceNo'])).size, 1);
    assert.equal(p(await b.accountInfo(card('H2')))['balance'], '9.00', 'credited once');
  });

  it('a QR made on one host, paid through the other, queried on the first', availability, async () => {
    const [hostA, hostB] = hosts;
    assert.ok(hostA && hostB);
    const made = await a.recharge({ ...cashRecharge('H3', 'H3-C', '12.00'), depositType: 'WX_QR' });
    assert.equal(made.respCode, '000000', made.respMsg);
    const qrcode = new URL(String(p(made)['qrcode']));
    const paid = await fetch(`${hostB.url}${qrcode.pathname}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ wallet: 'wechat' }),
    });
    assert.equal(paid.status, 200, await paid.text());
    let result = '';
    for (let i = 0; i < 50 && result !== 'succ'; i++) {
      result = String(
        p(await a.query({ ...card('H3'), tradeType: 'hop.trade.recharge', outTradeNo: 'H3-C' }))['result'],
      );
      if (result !== 'succ') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(result, 'succ');
    assert.equal(p(await b.accountInfo(card('H3')))['balance'], '12.00');
  });
});
