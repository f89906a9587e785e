/**
 * The web surfaces: security headers on every page, assets by their own key,
 * pages only for the platform's own host names, state-changing POSTs only
 * from the platform's own pages, anonymous pages rate-limited, and refused
 * authentications and oversized requests logged.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../src/client/index.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { ANONYMOUS_PAGES_PER_MINUTE } from '../../src/web/routes.js';
import { MAX_STREAMS_PER_LINK } from '../../src/web/shared/sse.js';

/** A raw request, so the Host and Origin headers are exactly what a test says. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('web surfaces', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform(TEST_DATABASES[0]!);
  });
  after(async () => {
    await t.close();
  });

  it('every page carries CSP, frame-ancestors none, nosniff and no-referrer', async () => {
    for (const path of ['/ops/notify', '/cashier/assets/desk.js', '/p/m/nosuchtoken', '/q/nosuchtoken']) {
      const res = await raw(`${t.running.url}${path}`);
      const csp = String(res.headers['content-security-policy'] ?? '');
      assert.match(csp, /script-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
    }
  });

  it('assets are looked up by their own key: constructor, __proto__ and toString are 404, not 500', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal((await raw(`${t.running.url}/cashier/assets/${name}`)).status, 404, name);
    }
    assert.equal((await raw(`${t.running.url}/cashier/assets/ops.js`)).status, 200);
  });

  it('a page asked for under another host name (DNS rebinding) is refused', async () => {
    const res = await raw(`${t.running.url}/ops/notify`, { headers: { host: 'evil.example' } });
    assert.equal(res.status, 421);
  });

  it('a state-changing POST from another site is refused; the signed API is not a page', async () => {
    const res = await raw(`${t.running.url}/ops/notify/deliveries/1/resend`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 403);
    const sameSite = await raw(`${t.running.url}/ops/notify/deliveries/999999/resend`, {
      method: 'POST',
      headers: { origin: t.running.url, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.notEqual(sameSite.status, 403);
  });

  it('anonymous pages are rate-limited per address', async () => {
    let limited = 0;
    for (let i = 0; i < ANONYMOUS_PAGES_PER_MINUTE + 5; i++) {
      if ((await raw(`${t.running.url}/p/m/nosuchtoken${i}`)).status === 429) limited++;
    }
    assert.ok(limited >= 5, `${limited} answered 429`);
    // The cashier's pages and the API are not the anonymous pages' budget.
    assert.notEqual((await raw(`${t.running.url}/cashier/assets/desk.js`)).status, 429);
  });
});

describe('status streams', () => {
  it('one desk link holds at most its share of streams; other links are still served', async () => {
    const t = await startTestPlatform(TEST_DATABASES[0]!);
    const aborts: AbortController[] = [];
    try {
      // A desk left open: the client is told where it is and waits (briefly) for it.
      const openDesk = (cardNo: string) =>
        new Promise<{ url: string; done: Promise<unknown> }>((resolve, reject) => {
          const client = new PayClient({
            serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
            appid: t.appid,
            appsecret: t.secret,
            desk: { show: (url) => resolve({ url, done }), timeoutMs: 3000 },
          });
          const param = cashRecharge(cardNo, `${cardNo}-C`, '2.00');
          const extra = { ...(param['extra'] as Record<string, unknown>), deskflak: '0' };
          const done = client.recharge({ ...param, extra });
          // Answered without a desk: the test cannot go on (and must not hang).
          done.then((a) => reject(new Error(`no desk: ${JSON.stringify(a)}`)), reject);
        });
      const desk = await openDesk('SSE1');
      const deskUrl = desk.url;
      const open = async (url: string) => {
        const abort = new AbortController();
        aborts.push(abort);
        return (await fetch(url, { signal: abort.signal })).status;
      };
      for (let i = 0; i < MAX_STREAMS_PER_LINK; i++) assert.equal(await open(`${deskUrl}/status`), 200);
      assert.equal(await open(`${deskUrl}/status`), 503, 'past the link’s share');
      const other = await openDesk('SSE2');
      assert.equal(await open(`${other.url}/status`), 200, 'another desk is not starved');
      for (const abort of aborts) abort.abort();
      await Promise.allSettled([desk.done, other.done]);
    } finally {
      for (const abort of aborts) abort.abort();
      await t.close();
    }
  });
});

describe('the connection cap', () => {
  it('past the cap a new connection is dropped at once; below it connections are served', async () => {
    process.env['ONEPAY_MAX_CONNECTIONS'] = '20';
    const capped = await startTestPlatform(TEST_DATABASES[0]!);
    delete process.env['ONEPAY_MAX_CONNECTIONS'];
    const { port } = new URL(capped.running.url);
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        idle.push(
          await new Promise<Socket>((resolve, reject) => {
            const s = connect(Number(port), '127.0.0.1', () => resolve(s));
            s.on('error', reject);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 100));
      const refused = await raw(`${capped.running.url}/health`).then(
        () => false,
        () => true,
      );
      assert.ok(refused, 'the 21st connection was dropped');
      for (const s of idle) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await raw(`${capped.running.url}/health`)).status, 200);
    } finally {
      for (const s of idle) s.destroy();
      await capped.close();
    }
  });
});
