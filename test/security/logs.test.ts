/**
 * The platform's own log output, captured for a run of realistic traffic
 * (recharges, refunds, queries, account look-ups, refused and malformed
 * calls, a second app), must never hold an appsecret, a full ID number or a
 * patient's name in clear.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PayClient } from '../../src/client/index.js';
import { API_PATH } from '../../src/platform/http.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { startPlatform } from '../../src/server/serve.js';

const PATIENTS = [
  { name: '蔡少辉', idNo: '350288198001011234' },
  { name: '王小明', idNo: '11010519491231002X' },
  { name: '欧阳娜娜', idNo: '440301200001019876' },
];
const OP = { operatorId: '001', termNo: 'T01', operatorName: '张三' };

describe('log lines keep secrets and personal data out', () => {
  it('no appsecret, no full ID number, no unmasked name in any line', async () => {
    const lines: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-logs-'));
    const apps = [0, 1].map(() => ({
      appid: `log${randomBytes(3).toString('hex')}`,
      secret: randomBytes(24).toString('base64url'),
    }));
    const running = await startPlatform({
      port: 0,
      dataDir,
      db: `sqlite:${join(dataDir, 'onepay.db')}`,
      devApps: apps.map((a) => `${a.appid}:${a.secret}`),
      settings: { refundMinIntervalMs: 0 },
      log: createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } }),
    });
    try {
      const [a, b] = apps.map(
        (app) =>
          new PayClient({ serveraddr: `${running.url}${API_PATH}`, appid: app.appid, appsecret: app.secret }),
      ) as [PayClient, PayClient];
      const wrong = new PayClient({
        serveraddr: `${running.url}${API_PATH}`,
        appid: apps[0]?.appid ?? '',
        appsecret: 'a-wrong-secret-of-some-length',
      });
      for (const [i, p] of PATIENTS.entries()) {
        const card = { ...OP, cardType: '01', cardNo: `6222${i}00000000000${i}`, accountType: '01' };
        const patient = { ...card, hisCustId: `H${i}`, userName: p.name, idNo: p.idNo };
        const opening = {
          userSex: '1',
          cardZone: '350200',
          idType: '01',
          mobilePhone: '13012345678',
          deskflak: '1',
        };
        const recharge = {
          ...patient,
          amount: '50.00',
          outChargeNo: `L${i}`,
          depositType: 'CASH',
          extra: opening,
        };
        assert.equal((await a.recharge(recharge)).respCode, '000000');
        await a.recharge(recharge); // replayed answer
        await a.recharge({ ...recharge, amount: '5.00' }); // 030001
        await a.recharge({ ...recharge, outChargeNo: `L${i}x`, amount: '1.001' }); // 020003
        await a.accountInfo({ ...card, idNo: p.idNo });
        await a.accountInfo({ ...card, idNo: '350288888888888888' }); // 031003
        await a.query({ ...card, tradeType: 'hop.trade.recharge', outTradeNo: `L${i}` });
        const refund = {
          ...card,
          hisCustId: `H${i}`,
          amount: '1.00',
          withdrawMode: '0',
          refundType: 'hisDecide',
          traceNo: '',
          outChargeNo: `L${i}`,
          outRefundNo: `LR${i}`,
          tradeChannel: 'CASH',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        };
        assert.equal((await a.refund(refund)).respCode, '000000');
        await a.refund({ ...refund, outRefundNo: `LR${i}b`, amount: '999.00' }); // 034001
        await b.query({ ...card, tradeType: 'hop.trade.recharge', outTradeNo: `L${i}` }); // another app: notfound
        await b.recharge({ ...recharge, depositType: 'NOPE' }); // refused by validation
        await wrong.recharge(recharge); // 010005
      }
      await fetch(`${running.url}${API_PATH}`, { method: 'POST', body: '{"not":"an envelope"}' });
      await fetch(`${running.url}${API_PATH}`, { method: 'POST', body: 'x'.repeat(100_000) });
    } finally {
      await running.close();
    }
    const text = lines.join('');
    assert.ok(lines.filter((l) => l.includes('payTrans')).length >= 10, 'the run logged its calls');
    // A refused authentication is logged at warn, naming the app, the code and the peer.
    const refused = lines
      .filter((l) => l.includes('"msg":"call refused"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      refused.some(
        (l) =>
          l['code'] === '010005' &&
          l['appid'] === apps[0]?.appid &&
          typeof l['peer'] === 'string' &&
          l['level'] === 40,
      ),
      'a wrong secret leaves a warn line',
    );
    const callLines = lines
      .filter((l) => l.includes('"msg":"payTrans"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(callLines.length >= 10);
    for (const line of callLines)
      assert.match(String(line['requestId']), /^[0-9a-z]+-[0-9a-z]+$/, 'every call names its request');
    assert.equal(new Set(callLines.map((l) => l['requestId'])).size, callLines.length, 'one id per call');
    for (const app of apps) assert.ok(!text.includes(app.secret), 'an appsecret reached the log');
    assert.ok(!text.includes('a-wrong-secret-of-some-length'), 'a presented secret reached the log');
    for (const p of PATIENTS) {
      assert.ok(!text.includes(p.idNo), `ID number ${p.idNo.slice(0, 4)}… logged in full`);
      assert.ok(!text.includes(p.name), `name ${p.name[0]}… logged unmasked`);
    }
    // The names did reach the log, masked: the scan above looked at lines that carry them.
    assert.ok(text.includes('蔡*辉'), 'masked names expected in the call lines');
    assert.ok(!text.includes('350288888888888888'), 'a presented ID number was logged in full');
  });
});
