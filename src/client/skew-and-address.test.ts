import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../testing/databases.js';
import { cashRecharge } from '../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../testing/platform.js';
import { PayClient } from './pay-client.js';
import { payTrans } from './pay-trans.js';

const info = JSON.stringify({
  transType: 'hop.account.info',
  param: {
    operatorId: '1',
    termNo: 'T',
    operatorName: '王',
    cardType: '03',
    cardNo: 'SK0',
    accountType: '01',
  },
});

/** A server answering every request with `status` and `body`, counting them. */
async function answering(status: number, body: string, headers: Record<string, string> = {}) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

for (const database of TEST_DATABASES) {
  describe(`a workstation whose clock is 400 s off, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(() => t?.closeCheckingLedger());

    it(
      'learns the offset from the 010006, retries once on platform time, keeps it, logs the skew',
      availability,
      async () => {
        const lines: string[] = [];
        const fast = new PayClient({
          serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
          appid: t.appid,
          appsecret: t.secret,
          clock: () => Date.now() + 400_000,
          log: (line) => lines.push(line),
        });
        const paid = await fast.recharge(cashRecharge('SK1', 'SK-1', '3.00'));
        assert.equal(paid.respCode, '000000', paid.respMsg);
        assert.ok(Math.abs(fast.clockOffsetSeconds + 400) <= 2, `offset ${fast.clockOffsetSeconds}`);
        assert.equal(lines.length, 1);
        assert.match(lines[0] ?? '', /快 4\d\d 秒/);
        // Later calls are stamped on the platform's time at once: no second 010006, no second line.
        const again = await fast.recharge(cashRecharge('SK1', 'SK-2', '4.00'));
        assert.equal(again.respCode, '000000', again.respMsg);
        assert.equal(lines.length, 1);
        const rows = await t.running.platform.store.db
          .selectFrom('orders')
          .select('out_no')
          .where('out_no', 'in', ['SK-1', 'SK-2'])
          .execute();
        assert.equal(rows.length, 2, 'each recharge stored once');
      },
    );

    it('a clock within the window is left alone', availability, async () => {
      const lines: string[] = [];
      const near = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid: t.appid,
        appsecret: t.secret,
        clock: () => Date.now() - 100_000,
        log: (line) => lines.push(line),
      });
      assert.equal((await near.recharge(cashRecharge('SK2', 'SK-3', '1.00'))).respCode, '000000');
      assert.equal(near.clockOffsetSeconds, 0);
      assert.deepEqual(lines, []);
    });
  });
}

describe('a forged plain 010006 cannot set the clock', () => {
  it('the retry it causes is refused, and the offset is not kept', async () => {
    const liar = await answering(
      200,
      JSON.stringify({ respCode: '010006', respMsg: '时间戳超出有效期 (当前 1000)' }),
    );
    try {
      const lines: string[] = [];
      const c = new PayClient({
        serveraddr: `${liar.base}/x`,
        appid: 'a',
        appsecret: 'a-secret-of-enough-length',
        log: (l) => lines.push(l),
      });
      const out = JSON.parse(await c.payTrans(info));
      assert.equal(out.respCode, '010006');
      assert.equal(liar.calls(), 2, 'one retry, not more');
      assert.equal(c.clockOffsetSeconds, 0);
      assert.deepEqual(lines, []);
    } finally {
      await liar.close();
    }
  });
});

describe('a wrong server address: nothing was processed (-7), not "unknown" (-3)', () => {
  const client = (serveraddr: string) =>
    new PayClient({ serveraddr, appid: 'a', appsecret: 'a-secret-of-enough-length', connectTimeoutMs: 500 });

  it('404 and 405 from another server or path, and a redirect, are -7 naming the address', async () => {
    for (const [status, headers] of [
      [404, {}],
      [405, {}],
      [302, { location: 'https://elsewhere.example/' }],
    ] as const) {
      const other = await answering(status, '<html>Not here</html>', headers);
      try {
        const out = JSON.parse(await client(`${other.base}/onepay-web/oneapi`).payTrans(info));
        assert.equal(out.respCode, '-7', `${status}: ${out.respMsg}`);
        assert.match(out.respMsg, new RegExp(`HTTP ${status}`));
        assert.match(out.respMsg, /未被处理/);
      } finally {
        await other.close();
      }
    }
  });

  it('connection refused is -7; a 5xx or a garbled 200 stays unknown (-3)', async () => {
    assert.equal(JSON.parse(await client('http://127.0.0.1:9/x').payTrans(info)).respCode, '-7');
    for (const status of [500, 502, 200]) {
      const broken = await answering(status, 'garbled');
      try {
        assert.equal(
          JSON.parse(await client(`${broken.base}/x`).payTrans(info)).respCode,
          '-3',
          String(status),
        );
      } finally {
        await broken.close();
      }
    }
  });

  it("the platform's own wrong path is -7", async () => {
    const t = await startTestPlatform(TEST_DATABASES[0]!);
    try {
      const wrong = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneapi`,
        appid: t.appid,
        appsecret: t.secret,
      });
      const out = await wrong.accountInfo(JSON.parse(info).param);
      assert.equal(out.respCode, '-7', out.respMsg);
    } finally {
      await t.close();
    }
  });
});

describe('setinfo checks the address it is given', () => {
  const home = mkdtempSync(join(tmpdir(), 'payclient-home-'));
  let t: TestPlatform;
  before(async () => {
    process.env['PAYCLIENT_HOME'] = home;
    t = await startTestPlatform(TEST_DATABASES[0]!);
  });
  after(async () => {
    delete process.env['PAYCLIENT_HOME'];
    await t.close();
  });
  const setinfo = async (serveraddr: string) =>
    JSON.parse(
      await payTrans(
        JSON.stringify({
          transType: 'hop.trade.setinfo',
          param: { serveraddr, appid: t.appid, appsecret: t.secret },
        }),
      ),
    ) as { respCode: string; respMsg: string };

  it('the platform at its address: a plain 处理成功', async () => {
    const out = await setinfo(`${t.running.url}/onepay-web/oneweb/oneapi`);
    assert.deepEqual(out, { respCode: '000000', respMsg: '处理成功' });
  });

  it('a wrong path, another server or nobody: saved, with a warning naming the problem', async () => {
    const other = await answering(200, '<html>intranet</html>');
    try {
      const cases = [
        [`${t.running.url}/onepay-web/oneapi`, /HTTP 404/],
        [`${other.base}/onepay-web/oneweb/oneapi`, /不是 onepay/],
        ['http://127.0.0.1:9/onepay-web/oneweb/oneapi', /无法连接/],
      ] as const;
      for (const [address, why] of cases) {
        const out = await setinfo(address);
        assert.equal(out.respCode, '000000');
        assert.match(out.respMsg, /警告/);
        assert.match(out.respMsg, why);
      }
    } finally {
      await other.close();
    }
  });
});
