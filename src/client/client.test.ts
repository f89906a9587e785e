import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_DATABASES } from '../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../testing/platform.js';
import { loadSettings } from './config.js';
import { PayClient } from './pay-client.js';
import { payTrans } from './pay-trans.js';

const info = JSON.stringify({
  transType: 'hop.account.info',
  param: {
    operatorId: '1',
    termNo: 'T',
    operatorName: '王',
    cardType: '03',
    cardNo: 'X1',
    accountType: '01',
  },
});

/** A server that does something wrong on purpose. */
async function misbehaving(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/onepay-web/oneweb/oneapi`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function client(serveraddr: string, answerTimeoutMs = 2_000) {
  return new PayClient({
    serveraddr,
    appid: 'a',
    appsecret: 'a-secret-of-enough-length',
    answerTimeoutMs,
    connectTimeoutMs: 500,
  });
}

describe('payclient transport codes', () => {
  it('-7 when nothing listens: the request was not sent', async () => {
    const out = JSON.parse(await client('http://127.0.0.1:9/x').payTrans(info));
    assert.equal(out.respCode, '-7');
  });

  it('-7 when the TLS handshake fails: nothing of the request left', async () => {
    let calls = 0;
    const plain = await misbehaving((_req, res) => {
      calls++;
      res.end('{}');
    });
    try {
      const answer = JSON.parse(await client(plain.url.replace('http:', 'https:')).payTrans(info));
      assert.equal(answer.respCode, '-7', answer.respMsg);
      assert.equal(calls, 0);
    } finally {
      await plain.close();
    }
  });

  it('-28 when the platform does not answer in time: outcome unknown', async () => {
    const hang = await misbehaving(() => {});
    try {
      const out = JSON.parse(await client(hang.url, 300).payTrans(info));
      assert.equal(out.respCode, '-28');
      assert.match(out.respMsg, /查询/);
    } finally {
      await hang.close();
    }
  });

  it('-3 when the answer cannot be verified (garbage, or an unsealed success)', async () => {
    for (const body of ['not json', JSON.stringify({ respCode: '000000', respMsg: '处理成功' })]) {
      const liar = await misbehaving((_req, res) => res.end(body));
      try {
        const out = JSON.parse(await client(liar.url).payTrans(info));
        assert.equal(out.respCode, '-3', body);
      } finally {
        await liar.close();
      }
    }
  });

  it('bad input is answered locally with the spec code and no network call', async () => {
    let calls = 0;
    const spy = await misbehaving((_req, res) => {
      calls++;
      res.end('{}');
    });
    try {
      const c = client(spy.url);
      assert.equal(JSON.parse(await c.payTrans('')).respCode, '000003');
      assert.equal(JSON.parse(await c.payTrans('[1]')).respCode, '000004');
      assert.equal(JSON.parse(await c.payTrans('{"transType":"hop.nope","param":{}}')).respCode, '010002');
      const long = JSON.parse(info);
      long.param.cardNo = '卡'.repeat(33);
      const tooLong = JSON.parse(await c.payTrans(JSON.stringify(long)));
      assert.equal(tooLong.respCode, '020002');
      assert.match(tooLong.respMsg, /cardNo/);
      // Every listed field in bounds, but fields the table does not list push it past the envelope's 2048.
      const padded = JSON.parse(info);
      padded.param.hisNote = 'x'.repeat(2100);
      const unsent = JSON.parse(await c.payTrans(JSON.stringify(padded)));
      assert.equal(unsent.respCode, '020002', unsent.respMsg);
      assert.match(unsent.respMsg, /未发送/);
      assert.equal(calls, 0);
    } finally {
      await spy.close();
    }
  });
});

describe('payTrans with hop.trade.setinfo, as the DLL', () => {
  let t: TestPlatform;
  const home = mkdtempSync(join(tmpdir(), 'payclient-home-'));
  before(async () => {
    process.env['PAYCLIENT_HOME'] = home;
    t = await startTestPlatform(TEST_DATABASES[0]!);
  });
  after(async () => {
    delete process.env['PAYCLIENT_HOME'];
    await t.close();
  });

  it('answers 010003 before setinfo, persists setinfo with mode 0600, then reaches the platform', async () => {
    assert.equal(JSON.parse(await payTrans(info)).respCode, '010003');
    const setinfo = JSON.stringify({
      transType: 'hop.trade.setinfo',
      param: { serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`, appid: t.appid, appsecret: t.secret },
    });
    assert.equal(JSON.parse(await payTrans(setinfo)).respCode, '000000');
    assert.equal(statSync(join(home, 'config.json')).mode & 0o777, 0o600);
    const out = JSON.parse(await payTrans(info));
    assert.equal(out.respCode, '031003'); // a real answer from the platform: no such account yet
  });

  it('setinfo keeps the cipher suite it is given (a field beside the spec table)', async () => {
    const withSuite = (suite?: string) =>
      JSON.stringify({
        transType: 'hop.trade.setinfo',
        param: {
          serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
          appid: t.appid,
          appsecret: t.secret,
          ...(suite ? { suite } : {}),
        },
      });
    assert.equal(JSON.parse(await payTrans(withSuite('AES'))).respCode, '000000');
    assert.equal(loadSettings({ PAYCLIENT_HOME: home })?.suite, 'AES');
    assert.equal(JSON.parse(await payTrans(info)).respCode, '031003', 'the platform answers under AES');
    assert.equal(JSON.parse(await payTrans(withSuite())).respCode, '000000');
    assert.equal(loadSettings({ PAYCLIENT_HOME: home })?.suite, undefined);
  });

  it('a wrong secret is rejected by the platform with 010005', async () => {
    const c = new PayClient({
      serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
      appid: t.appid,
      appsecret: 'definitely-not-the-secret',
    });
    assert.equal(JSON.parse(await c.payTrans(info)).respCode, '010005');
  });

  it('the CLI prints poutdata and exits 0 only on 000000', async () => {
    // Asynchronous: the platform answering the child runs in this very process.
    const run = (pindata: string) =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/client/cli-main.ts', pindata],
          { env: { ...process.env, PAYCLIENT_HOME: home }, encoding: 'utf8' },
          (error, stdout) =>
            resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
        );
      });
    const bad = await run('{}');
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).respCode, '010001');
    const missing = await run(info);
    assert.equal(JSON.parse(missing.stdout).respCode, '031003');
    assert.equal(missing.status, 1);
    const recharge = await run(
      JSON.stringify({
        transType: 'hop.trade.recharge',
        param: {
          operatorId: '1',
          termNo: 'T',
          operatorName: '王',
          cardType: '03',
          cardNo: 'X1',
          accountType: '01',
          hisCustId: 'H1',
          userName: '王五',
          amount: '1.00',
          outChargeNo: 'CLI-1',
          depositType: 'CASH',
          extra: { deskflak: '1', userSex: '1', cardZone: '1', idType: '01', mobilePhone: '13000000000' },
        },
      }),
    );
    assert.equal(JSON.parse(recharge.stdout).respCode, '000000');
    assert.equal(recharge.status, 0);
  });
});
