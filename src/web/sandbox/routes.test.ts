import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { type SandboxHarness, sandboxHarness } from '../../platform/channels/sandbox/harness.js';
import type { Store } from '../../platform/store/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { registerSandboxRoutes } from './routes.js';

/** A Fastify shaped like the platform's: every body read as text for the envelope. */
function platformLikeApp(): FastifyInstance {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  return app;
}

function path(qrcode: string | undefined): string {
  assert.ok(qrcode);
  return new URL(qrcode).pathname;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

for (const database of TEST_DATABASES) {
  for (const shape of ['bare Fastify', 'platform-like app'] as const) {
    describe(`sandbox wallet routes (${shape}) on ${database.name}`, async () => {
      const availability = await databaseAvailability(database);
      let store: Store;
      let h: SandboxHarness;
      let app: FastifyInstance;
      before(async () => {
        if (availability.skip) return;
        store = await database.open();
        await store.db
          .insertInto('apps')
          .values({
            appid: 'app1',
            name: '厦门市第一医院',
            secret_sealed: 'unused',
            channels: '[]',
            config: '{}',
            created_at: 0,
          })
          .execute();
        h = sandboxHarness(store);
        app = shape === 'bare Fastify' ? Fastify() : platformLikeApp();
        registerSandboxRoutes(app, h.sandbox);
        await app.ready();
      });
      after(async () => {
        await app?.close();
        await store?.close();
      });

      async function qr(channel: string, subject = '预交金充值'): Promise<{ url: string; traceNo: string }> {
        const p = { ...h.payment(channel), subject };
        const r = await h.sandbox.pay(p);
        return { url: path(r.qrcode), traceNo: p.traceNo };
      }

      it(
        'GET shows a self-contained Chinese page with amount, subject, hospital and the wallets',
        availability,
        async () => {
          const { url } = await qr('ONE_QR', '住院预交金<script>alert(1)</script>');
          const res = await app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200);
          assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
          assert.equal(res.headers['cache-control'], 'no-store');
          const html = res.body;
          assert.match(html, /<html lang="zh-CN">/);
          assert.match(html, /100\.00/);
          assert.match(html, /厦门市第一医院/);
          assert.match(html, /住院预交金&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
          assert.ok(!html.includes('<script'), 'no script at all, so nothing to inject into');
          for (const label of ['用支付宝支付', '用微信支付', '用云闪付支付', '模拟支付失败'])
            assert.match(html, new RegExp(label));
          assert.ok(!/(src|href)=["']?(https?:)?\/\//.test(html), 'nothing loaded from elsewhere');

          const only = await app.inject({ method: 'GET', url: (await qr('WX_PUB')).url });
          assert.match(only.body, /用微信支付/);
          assert.ok(!only.body.includes('用支付宝支付'));
        },
      );

      it('GET with Accept: application/json answers the same facts as JSON', availability, async () => {
        const { url, traceNo } = await qr('ALI_QR');
        const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.equal(body.ok, true);
        assert.equal(body.traceNo, traceNo);
        assert.equal(body.amount, '100.00');
        assert.equal(body.amountFen, 10_000);
        assert.equal(body.hospital, '厦门市第一医院');
        assert.equal(body.channelName, '支付宝二维码支付');
        assert.deepEqual(body.wallets, ['alipay']);
        assert.equal(body.state, 'pending');
        assert.match(body.expireAt, /^\d{14}$/);
      });

      it('POST pay (JSON) pays once, notifies once, and refuses a second payment', availability, async () => {
        const { url, traceNo } = await qr('ONE_QR');
        const before = h.notified.length;
        const res = await app.inject({
          method: 'POST',
          url: `${url}/pay`,
          headers: JSON_HEADERS,
          payload: JSON.stringify({ wallet: 'unionpay' }),
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), {
          ok: true,
          traceNo,
          state: 'success',
          paidChannel: 'UP_QR',
          amount: '100.00',
          message: '支付成功',
          notified: true,
        });
        assert.deepEqual(h.notified.slice(before), [traceNo]);
        const again = await app.inject({
          method: 'POST',
          url: `${url}/pay`,
          headers: JSON_HEADERS,
          payload: JSON.stringify({ wallet: 'unionpay' }),
        });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json().message, '该订单已支付, 请勿重复支付');
        assert.equal(h.notified.length - before, 1);
        const page = await app.inject({ method: 'GET', url });
        assert.equal(page.statusCode, 409);
        assert.match(page.body, /该订单已支付/);
      });

      it(
        'POST from the page form answers an HTML result; fail=1 fails the payment',
        availability,
        async () => {
          const { url } = await qr('ICBC_QR');
          const res = await app.inject({
            method: 'POST',
            url: `${url}/pay`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'wallet=wechat',
          });
          assert.equal(res.statusCode, 200);
          assert.match(res.headers['content-type'] as string, /text\/html/);
          assert.match(res.body, /支付成功/);

          const failing = await qr('ALI_WAP');
          const failed = await app.inject({
            method: 'POST',
            url: `${failing.url}/pay`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'wallet=alipay&fail=1',
          });
          assert.match(failed.body, /支付失败/);
          assert.equal(
            (await h.sandbox.query({ appid: 'app1', traceNo: failing.traceNo, channel: 'ALI_WAP' })).state,
            'fail',
          );
          assert.equal(h.notified.at(-1), failing.traceNo);
        },
      );

      it('the page form posts to where the route listens', availability, async () => {
        const { url } = await qr('UP_QR');
        const page = await app.inject({ method: 'GET', url });
        const action = /action="([^"]+)"/.exec(page.body)?.[1];
        assert.ok(action);
        const target = new URL(action, `http://x${url}`).pathname;
        const res = await app.inject({
          method: 'POST',
          url: target,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'wallet=unionpay',
        });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /支付成功/);
      });

      it(
        'closed, expired, unknown, wrong wallet and malformed bodies are refused in Chinese',
        availability,
        async () => {
          const closed = await qr('WX_QR');
          await h.sandbox.close({ appid: 'app1', traceNo: closed.traceNo, channel: 'WX_QR' });
          const get = await app.inject({ method: 'GET', url: closed.url });
          assert.equal(get.statusCode, 410);
          assert.match(get.body, /该订单已关闭, 不能再支付/);
          assert.ok(!get.body.includes('<form'), 'no buttons on a closed payment');
          const post = await app.inject({
            method: 'POST',
            url: `${closed.url}/pay`,
            headers: JSON_HEADERS,
            payload: '{"wallet":"wechat"}',
          });
          assert.equal(post.statusCode, 410);
          assert.deepEqual(post.json(), {
            ok: false,
            refusal: 'closed',
            message: '该订单已关闭, 不能再支付',
          });

          const wrong = await qr('WX_QR');
          const bad = await app.inject({
            method: 'POST',
            url: `${wrong.url}/pay`,
            headers: JSON_HEADERS,
            payload: '{"wallet":"alipay"}',
          });
          assert.equal(bad.statusCode, 400);
          assert.equal(bad.json().message, '该二维码只能用微信支付');
          const garbage = await app.inject({
            method: 'POST',
            url: `${wrong.url}/pay`,
            headers: JSON_HEADERS,
            payload: '{"wallet":',
          });
          assert.equal(garbage.statusCode, 400);

          const late = await qr('CCB_QR');
          h.advance(15 * 60_000);
          const expired = await app.inject({
            method: 'GET',
            url: late.url,
            headers: { accept: 'application/json' },
          });
          assert.equal(expired.statusCode, 410);
          assert.equal(expired.json().message, '二维码已过期, 请让收银员重新下单');
          const expiredPay = await app.inject({
            method: 'POST',
            url: `${late.url}/pay`,
            headers: JSON_HEADERS,
            payload: '{}',
          });
          assert.equal(expiredPay.statusCode, 410);

          for (const url of ['/q/AAAAAAAAAAAAAAAAAAAAAAAA', '/q/..%2F..%2Fetc', '/q/x']) {
            const missing = await app.inject({ method: 'GET', url });
            assert.equal(missing.statusCode, 404, url);
            assert.match(missing.body, /二维码无效或已失效/);
            const missingPay = await app.inject({
              method: 'POST',
              url: `${url}/pay`,
              headers: JSON_HEADERS,
              payload: '{}',
            });
            assert.equal(missingPay.statusCode, 404, url);
          }
        },
      );
    });
  }
}
