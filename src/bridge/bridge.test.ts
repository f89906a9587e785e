import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { DEFAULT_DESK_TIMEOUT_MS } from '../client/desk.js';
import { BRIDGE_BEYOND_DESK_MS } from '../protocol/timeouts.js';
import { runBridgeCli } from './cli.js';
import { type Bridge, defaultAnswerTimeoutMs, type PayTrans, startBridge } from './server.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  bridge: Bridge,
  options: { method?: string; path?: string; body?: Buffer | string; headers?: Record<string, string> },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/payTrans',
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (reply: Reply, charset = 'utf8') => JSON.parse(iconv.decode(reply.body, charset));

/** Answers with the name it was given, so a charset mistake shows as a wrong name. */
const echo: PayTrans = async (pindata) => {
  const { param } = JSON.parse(pindata) as { param: { operatorName: string } };
  return JSON.stringify({ respCode: '000000', respMsg: '处理成功', param: { name: param.operatorName } });
};

const pindata = JSON.stringify({ transType: 'hop.account.info', param: { operatorName: '张三' } });
const bridges: Bridge[] = [];
async function bridgeWith(options: Parameters<typeof startBridge>[0]): Promise<Bridge> {
  const bridge = await startBridge({ port: 0, payTrans: echo, log: () => {}, ...options });
  bridges.push(bridge);
  return bridge;
}
after(() => Promise.all(bridges.map((b) => b.close())));

describe('bridge: charsets', () => {
  it('UTF-8 in and out, with the respCode also in a header', async () => {
    const bridge = await bridgeWith({});
    const reply = await request(bridge, { body: pindata, headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['x-payclient-respcode'], '000000');
    assert.equal(json(reply).param.name, '张三');
  });

  it('GBK chosen by the request: 张三 arrives as GBK bytes and leaves as GBK bytes', async () => {
    const bridge = await bridgeWith({});
    const reply = await request(bridge, {
      body: iconv.encode(pindata, 'gbk'),
      headers: { 'content-type': 'application/json; charset=GBK' },
    });
    assert.equal(reply.headers['content-type'], 'application/json; charset=gbk');
    assert.ok(reply.body.includes(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd])), 'GBK bytes of 张三');
    assert.equal(json(reply, 'gbk').param.name, '张三');
  });

  it('GBK chosen by the flag when the request names no charset; gb2312 is read as GBK', async () => {
    const bridge = await bridgeWith({ encoding: 'gbk' });
    const plain = await request(bridge, { body: iconv.encode(pindata, 'gbk') });
    assert.equal(json(plain, 'gbk').param.name, '张三');
    const labelled = await request(bridge, {
      body: iconv.encode(pindata, 'gbk'),
      headers: { 'content-type': 'text/plain; charset="gb2312"' },
    });
    assert.equal(json(labelled, 'gbk').param.name, '张三');
  });

  it('an unknown charset is refused, not guessed', async () => {
    let called = false;
    const bridge = await bridgeWith({
      payTrans: async (p) => {
        called = true;
        return echo(p);
      },
    });
    const reply = await request(bridge, {
      body: pindata,
      headers: { 'content-type': 'application/json; charset=big5' },
    });
    assert.equal(reply.status, 415);
    assert.equal(json(reply).respCode, '000004');
    assert.equal(called, false);
  });
});

describe('bridge: who may call', () => {
  it('refuses a non-loopback address without a token, and a short token', async () => {
    await assert.rejects(startBridge({ host: '0.0.0.0', port: 0, payTrans: echo }), /without a token/);
    await assert.rejects(startBridge({ port: 0, payTrans: echo, token: 'short' }), /at least 16/);
  });

  it('with a token, every request must carry it', async () => {
    const token = 'a-token-of-enough-length';
    const bridge = await bridgeWith({ token });
    for (const headers of [{}, { 'x-payclient-token': `${token}x` }]) {
      const reply = await request(bridge, { body: pindata, headers });
      assert.equal(reply.status, 401);
      assert.equal(json(reply).respCode, '-7');
    }
    const health = await request(bridge, { method: 'GET', path: '/health' });
    assert.equal(health.status, 401);
    const ok = await request(bridge, { body: pindata, headers: { 'x-payclient-token': token } });
    assert.equal(json(ok).respCode, '000000');
  });

  it('refuses browsers (Origin) and rebound DNS names (Host not loopback)', async () => {
    const bridge = await bridgeWith({});
    const fromPage = await request(bridge, { body: pindata, headers: { origin: 'http://evil.example' } });
    assert.equal(fromPage.status, 403);
    assert.equal(json(fromPage).respCode, '-7');
    const rebound = await request(bridge, {
      body: pindata,
      headers: { host: `evil.example:${bridge.port}` },
    });
    assert.equal(rebound.status, 403);
    const local = await request(bridge, { body: pindata, headers: { host: `localhost:${bridge.port}` } });
    assert.equal(local.status, 200);
  });
});

describe('bridge: bounds', () => {
  it('a body over the bound is refused before payTrans sees it', async () => {
    let called = false;
    const bridge = await bridgeWith({
      maxBodyBytes: 4096,
      payTrans: async (p) => {
        called = true;
        return echo(p);
      },
    });
    const reply = await request(bridge, { body: Buffer.alloc(5000, 0x20) });
    assert.equal(reply.status, 413);
    assert.equal(json(reply).respCode, '000004');
    assert.equal(called, false);
  });

  it('a payTrans slower than the bridge bound is answered -28 (outcome unknown)', async () => {
    const bridge = await bridgeWith({ answerTimeoutMs: 200, payTrans: () => new Promise(() => {}) });
    const started = Date.now();
    const reply = await request(bridge, { body: pindata });
    assert.equal(json(reply).respCode, '-28');
    assert.equal(reply.headers['x-payclient-respcode'], '-28');
    assert.ok(Date.now() - started < 2_000);
  });

  it('calls beyond the concurrency bound are refused as not sent (-7)', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const bridge = await bridgeWith({
      maxConcurrent: 1,
      payTrans: async (p) => {
        await held;
        return echo(p);
      },
    });
    const first = request(bridge, { body: pindata });
    await new Promise((r) => setTimeout(r, 50));
    const second = await request(bridge, { body: pindata });
    assert.equal(second.status, 503);
    assert.equal(json(second).respCode, '-7');
    release();
    assert.equal(json(await first).respCode, '000000');
  });

  it('a library call still running after the bridge answered -28 keeps its place in the bound', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const bridge = await bridgeWith({
      maxConcurrent: 1,
      answerTimeoutMs: 100,
      payTrans: async (p) => {
        await held;
        return echo(p);
      },
    });
    assert.equal(json(await request(bridge, { body: pindata })).respCode, '-28');
    const refused = await request(bridge, { body: pindata });
    assert.equal(refused.status, 503);
    release();
    await new Promise((r) => setTimeout(r, 20));
    const later = await request(bridge, { body: pindata });
    assert.equal(later.status, 200);
  });

  it('waits longer than the client library does by default (desk wait plus margin)', () => {
    assert.ok(defaultAnswerTimeoutMs({}) > DEFAULT_DESK_TIMEOUT_MS + 60_000);
    assert.equal(defaultAnswerTimeoutMs({ PAYCLIENT_DESK_TIMEOUT_MS: '1000' }), 1000 + BRIDGE_BEYOND_DESK_MS);
  });
});

describe('bridge: answers', () => {
  it('an answer that is not JSON with respCode becomes -3', async () => {
    const bridge = await bridgeWith({ payTrans: async () => 'not json' });
    const reply = await request(bridge, { body: pindata });
    assert.equal(json(reply).respCode, '-3');
    assert.equal(reply.headers['x-payclient-respcode'], '-3');
  });

  it('GET /health answers; other paths and methods are JSON refusals', async () => {
    const bridge = await bridgeWith({ encoding: 'gbk' });
    const health = await request(bridge, { method: 'GET', path: '/health' });
    assert.equal(json(health).respCode, '000000');
    assert.equal(json(health).encoding, 'gbk');
    assert.equal((await request(bridge, { method: 'GET' })).status, 405);
    assert.equal((await request(bridge, { path: '/other' })).status, 404);
  });

  it('by default answers with the client library: validation happens before any network', async () => {
    const bridge = await startBridge({ port: 0, log: () => {} });
    bridges.push(bridge);
    const reply = await request(bridge, { body: '{"transType":"no.such.type","param":{}}' });
    assert.equal(json(reply).respCode, '010002');
  });
});

describe('bridge: CLI', () => {
  it('bad arguments exit 2 without listening', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await runBridgeCli(['--encoding', 'big5']), 2);
      assert.equal(await runBridgeCli(['--port', 'x']), 2);
      assert.equal(await runBridgeCli(['--nope']), 2);
    } finally {
      console.error = original;
    }
    assert.equal(errors.length, 3, 'one line each');
    assert.match(errors[1] ?? '', /--port x 不是端口号/);
    for (const line of errors) assert.match(line, /^payclient bridge: .*--help/);
  });
});

describe('bridge: hop.trade.setinfo re-points the workstation only for its own user', () => {
  const setinfo = (serveraddr: string) =>
    JSON.stringify({
      transType: 'hop.trade.setinfo',
      param: { serveraddr, appid: 'evil', appsecret: 'evil-secret-0123456789', operatorName: 'x' },
    });
  const SETINFO_TOKEN = 'a-local-setinfo-token-0123456789';

  it('refused (-7, nothing changed) without the local token, also spelled with spaces', async () => {
    let reached = 0;
    const bridge = await bridgeWith({
      setinfoToken: SETINFO_TOKEN,
      payTrans: async (p) => {
        reached++;
        return echo(p);
      },
    });
    for (const body of [
      setinfo('http://attacker.example/api'),
      setinfo('x').replace('hop.trade.setinfo', 'hop. trade. setinfo'),
    ]) {
      const reply = await request(bridge, { body, headers: { 'content-type': 'application/json' } });
      assert.equal(reply.status, 403);
      assert.equal(json(reply).respCode, '-7');
    }
    const wrong = await request(bridge, {
      body: setinfo('x'),
      headers: { 'content-type': 'application/json', 'x-payclient-setinfo-token': 'guess' },
    });
    assert.equal(wrong.status, 403);
    assert.equal(reached, 0, 'the library never saw the setinfo');
  });

  it('taken with the local token, or from anyone with --allow-setinfo; other calls need neither', async () => {
    const bridge = await bridgeWith({ setinfoToken: SETINFO_TOKEN });
    const ok = await request(bridge, {
      body: setinfo('x'),
      headers: { 'content-type': 'application/json', 'x-payclient-setinfo-token': SETINFO_TOKEN },
    });
    assert.equal(ok.status, 200);
    assert.equal(
      (await request(bridge, { body: pindata, headers: { 'content-type': 'application/json' } })).status,
      200,
    );
    const open = await bridgeWith({ allowSetinfo: true });
    assert.equal(
      (await request(open, { body: setinfo('x'), headers: { 'content-type': 'application/json' } })).status,
      200,
    );
  });
});

describe('bridge: a wrong server address answers -7 (nothing processed), as the library does', () => {
  it('setinfo warns, and a call to a server answering 404 is -7, not -3', async () => {
    const home = mkdtempSync(join(tmpdir(), 'payclient-home-'));
    const previous = process.env['PAYCLIENT_HOME'];
    process.env['PAYCLIENT_HOME'] = home;
    const notHere = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(404);
        res.end('Not Found');
      });
    });
    await new Promise<void>((r) => notHere.listen(0, '127.0.0.1', r));
    try {
      const { port } = notHere.address() as AddressInfo;
      const bridge = await startBridge({ port: 0, log: () => {}, allowSetinfo: true });
      bridges.push(bridge);
      const headers = { 'content-type': 'application/json' };
      const set = await request(bridge, {
        headers,
        body: JSON.stringify({
          transType: 'hop.trade.setinfo',
          param: {
            serveraddr: `http://127.0.0.1:${port}/onepay/api`,
            appid: 'a',
            appsecret: 'a-secret-0123456789',
          },
        }),
      });
      assert.equal(json(set).respCode, '000000');
      assert.match(json(set).respMsg, /警告.*HTTP 404/);
      const call = await request(bridge, {
        headers,
        body: JSON.stringify({
          transType: 'hop.account.info',
          param: {
            operatorId: '1',
            termNo: 'T',
            operatorName: '王',
            cardType: '03',
            cardNo: 'B1',
            accountType: '01',
          },
        }),
      });
      assert.equal(json(call).respCode, '-7', json(call).respMsg);
      assert.match(json(call).respMsg, /未被处理/);
    } finally {
      if (previous === undefined) delete process.env['PAYCLIENT_HOME'];
      else process.env['PAYCLIENT_HOME'] = previous;
      notHere.closeAllConnections();
      await new Promise<void>((r) => notHere.close(() => r()));
    }
  });
});
