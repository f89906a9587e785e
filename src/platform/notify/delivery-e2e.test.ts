import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { saveNotifyConfig } from './config.js';
import { PUSHES } from './fixtures.test-util.js';
import { MAX_ATTEMPTS, scheduleSpanMs } from './schedule.js';
import { EVENT_ID_HEADER, verifyWebhook } from './webhook.js';
import { NotifyWorker, notifyWorkerOf } from './worker.js';

const SECRET = 'receiver-shared-secret-42';
const HOUR_MS = 3600_000;

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A local HTTP server that can go down and come back on the same port. */
class Receiver {
  server: Server | undefined;
  port = 0;
  constructor(private readonly handle: Handler) {}
  async up(): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => this.handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function outboxOf(t: TestPlatform, topic: string) {
  return t.running.platform.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', topic)
    .where('appid', '=', t.appid)
    .orderBy('id')
    .execute();
}

for (const database of TEST_DATABASES) {
  describe(`notification delivery on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      // The fake clock drives delivery here: the platform's own worker must not race it.
      await notifyWorkerOf(t.running.platform)?.stop();
    });
    after(async () => {
      await t?.close();
    });

    it('the retry schedule spans at least 24 hours in 16 attempts', () => {
      assert.equal(MAX_ATTEMPTS, 16);
      assert.ok(scheduleSpanMs() >= 24 * HOUR_MS, `${scheduleSpanMs() / HOUR_MS} h`);
    });

    it(
      'a webhook receiver down for hours gets every message once it is back, exactly once by event id',
      availability,
      async () => {
        const processed = new Map<string, number>();
        let deliveries = 0;
        let badSignatures = 0;
        let loseNextAnswer = true;
        const receiver = new Receiver((req, body, res) => {
          deliveries++;
          if (!verifyWebhook(SECRET, req.headers, body, Math.floor(fake / 1000))) badSignatures++;
          const id = String(req.headers[EVENT_ID_HEADER]);
          processed.set(id, (processed.get(id) ?? 0) + 1);
          // Processed, then the answer is lost once: the platform must try again and the receiver dedupe.
          if (loseNextAnswer) {
            loseNextAnswer = false;
            res.writeHead(500).end();
            return;
          }
          res.writeHead(204).end();
        });
        await receiver.up();
        await receiver.down(); // the port is ours; the receiver is down from the start

        let fake = Date.now() + 1_000;
        const worker = new NotifyWorker(t.running.platform, { clock: () => fake, random: () => 0 });
        await saveNotifyConfig(
          t.running.platform,
          t.appid,
          { centre: true, webhook: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET } },
          fake,
          false,
        );
        const params = [1, 2, 3].map((n) => ({
          ...PUSHES['hop.inpatient.msg.common'],
          keyword: `第 ${n} 条`,
        }));
        for (const p of params) assert.equal((await t.client.inpatientCommon(p)).respCode, '000000');

        const start = fake;
        for (let i = 0; i < 40 && fake - start < 6 * HOUR_MS; i++) {
          await worker.tick();
          fake += 30 * 60_000;
        }
        let rows = await outboxOf(t, 'notify.webhook');
        assert.equal(rows.length, 3);
        for (const r of rows) {
          assert.equal(r.state, 'ing');
          assert.ok(r.attempts >= 5, `attempts ${r.attempts}`);
          assert.match(r.last_error ?? '', /unreachable/);
        }
        assert.equal(deliveries, 0);

        await receiver.up();
        for (let i = 0; i < 40; i++) {
          await worker.tick();
          rows = await outboxOf(t, 'notify.webhook');
          if (rows.every((r) => r.state === 'succ')) break;
          fake += 15 * 60_000;
        }
        await receiver.down();
        assert.deepEqual(
          rows.map((r) => r.state),
          ['succ', 'succ', 'succ'],
        );
        assert.deepEqual([...processed.keys()].sort(), rows.map((r) => r.event_id).sort());
        assert.equal(deliveries, 4, 'one answer was lost, so one event came twice');
        assert.equal(badSignatures, 0);
        // The receiver's view after deduplication: each event exactly once.
        assert.equal(new Set(processed.keys()).size, 3);

        const again = await t.client.inpatientCommon(params[0] ?? {});
        assert.equal((again['param'] as Record<string, string>)['notifyState'], 'succ');
      },
    );

    it(
      'gives up after 16 attempts over more than 24 hours; the operator lists and resends',
      availability,
      async () => {
        let got = 0;
        const receiver = new Receiver((_req, _body, res) => {
          got++;
          res.writeHead(200).end('ok');
        });
        await receiver.up();
        await receiver.down();
        let fake = Date.now() + 1_000;
        const worker = new NotifyWorker(t.running.platform, { clock: () => fake, random: () => 0 });
        await saveNotifyConfig(
          t.running.platform,
          t.appid,
          { centre: true, webhook: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET } },
          fake,
          false,
        );
        const param = { ...PUSHES['hop.inpatient.msg.common'], keyword: '放弃测试' };
        assert.equal((await t.client.inpatientCommon(param)).respCode, '000000');
        const eventOf = async () => {
          const all = await outboxOf(t, 'notify.webhook');
          const last = all.at(-1);
          assert.ok(last);
          return last;
        };
        const firstAt = fake;
        let lastAttemptAt = fake;
        for (let i = 0; i < 100; i++) {
          const row = await eventOf();
          if (row.state !== 'ing') break;
          fake = Math.max(fake, row.next_at);
          if ((await worker.tick()) > 0) lastAttemptAt = fake;
        }
        const row = await eventOf();
        assert.equal(row.state, 'fail');
        assert.equal(row.attempts, 16);
        assert.ok(lastAttemptAt - firstAt >= 24 * HOUR_MS, `${(lastAttemptAt - firstAt) / HOUR_MS} h`);
        const answer = await t.client.inpatientCommon(param);
        assert.equal((answer['param'] as Record<string, string>)['notifyState'], 'fail');

        const list = await fetch(`${t.running.url}/ops/notify/deliveries?state=fail`);
        assert.equal(list.status, 200);
        const body = (await list.json()) as {
          deliveries: { id: number; attempts: number; lastError: string }[];
        };
        const listed = body.deliveries.find((d) => d.id === row.id);
        assert.ok(listed);
        assert.equal(listed.attempts, 16);
        assert.match(listed.lastError, /unreachable/);
        const page = await fetch(`${t.running.url}/ops/notify`);
        assert.match(await page.text(), /消息推送投递/);

        await receiver.up();
        const resend = await fetch(`${t.running.url}/ops/notify/deliveries/${row.id}/resend`, {
          method: 'POST',
        });
        assert.equal(resend.status, 200);
        fake = Math.max(fake, Date.now()) + 1_000;
        await worker.tick();
        await receiver.down();
        assert.equal((await eventOf()).state, 'succ');
        assert.equal(got, 1);
      },
    );

    it(
      'the WeChat sender fetches and caches the token, renews it on 40001, uses the refund template for cancels',
      availability,
      async () => {
        const tokenCalls: string[] = [];
        const sends: { token: string; body: Record<string, unknown> }[] = [];
        let expireNext = false;
        const mock = new Receiver((req, body, res) => {
          const url = new URL(req.url ?? '/', 'http://mock');
          res.setHeader('content-type', 'application/json');
          if (url.pathname === '/cgi-bin/token') {
            assert.equal(url.searchParams.get('grant_type'), 'client_credential');
            assert.equal(url.searchParams.get('appid'), 'wxapp');
            assert.equal(url.searchParams.get('secret'), 'wxsecret');
            tokenCalls.push(url.search);
            res.end(JSON.stringify({ access_token: `TOKEN${tokenCalls.length}`, expires_in: 7200 }));
            return;
          }
          if (url.pathname === '/cgi-bin/message/template/send' && req.method === 'POST') {
            const token = url.searchParams.get('access_token') ?? '';
            if (expireNext) {
              expireNext = false;
              res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }));
              return;
            }
            sends.push({ token, body: JSON.parse(body) as Record<string, unknown> });
            res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: sends.length }));
            return;
          }
          res.writeHead(404).end('{}');
        });
        await mock.up();
        let fake = Date.now() + 1_000;
        const worker = new NotifyWorker(t.running.platform, { clock: () => fake, random: () => 0 });
        await saveNotifyConfig(
          t.running.platform,
          t.appid,
          {
            centre: true,
            wechat: {
              baseUrl: `http://127.0.0.1:${mock.port}`,
              appId: 'wxapp',
              appSecret: 'wxsecret',
              templates: {
                overpay: 'TPL_OVERPAY',
                drug: 'TPL_DRUG',
                refund: 'TPL_REFUND',
                common: 'TPL_COMMON',
              },
            },
          },
          fake,
          false,
        );
        const openId = { openId: 'o-patient-1' };
        const overpay = { ...PUSHES['hop.inpatient.msg.overpay'], extra: openId };
        const drug = {
          ...PUSHES['hop.mmpay.push.drug'],
          drugState: 'cancel',
          cancelDesc: '药品退费',
          extra: openId,
        };
        assert.equal((await t.client.inpatientOverpay(overpay)).respCode, '000000');
        assert.equal((await t.client.mmpayPushDrug(drug)).respCode, '000000');
        // hop.inpatient.msg.common has no extra in the spec, so no openId: a permanent, listed failure.
        assert.equal(
          (await t.client.inpatientCommon({ ...PUSHES['hop.inpatient.msg.common'], keyword: '无 openId' }))
            .respCode,
          '000000',
        );
        await worker.tick();
        assert.equal(tokenCalls.length, 1, 'one token for both sends');
        assert.equal(sends.length, 2);
        const byTemplate = Object.fromEntries(sends.map((s) => [s.body['template_id'], s]));
        const o = byTemplate['TPL_OVERPAY'];
        assert.ok(o);
        assert.equal(o.token, 'TOKEN1');
        assert.equal(o.body['touser'], 'o-patient-1');
        assert.match(String(o.body['url']), /\/p\/m\/[A-Za-z0-9_-]{24}$/);
        const data = o.body['data'] as Record<string, { value: string }>;
        assert.equal(data['keyword1']?.value, '蔡*辉');
        assert.equal(data['keyword6']?.value, '0.98');
        assert.ok(byTemplate['TPL_REFUND'], 'drugState=cancel goes out on the refund template');
        const rows = await outboxOf(t, 'notify.wechat');
        const failed = rows.filter((r) => r.state === 'fail');
        assert.equal(failed.length, 1);
        assert.match(failed[0]?.last_error ?? '', /openId/);

        expireNext = true;
        fake += 60_000;
        assert.equal(
          (await t.client.inpatientOverpay({ ...overpay, complementMoney: '1.50' })).respCode,
          '000000',
        );
        await worker.tick();
        assert.equal(tokenCalls.length, 2, 'a refused token is fetched again once');
        assert.equal(sends.at(-1)?.token, 'TOKEN2');
        await mock.down();
      },
    );
  });
}
