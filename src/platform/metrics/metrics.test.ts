import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRecharge } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { enqueue } from '../trades/outbox.js';

// Read when the server is built: set before any platform starts in this file's process.
const TOKEN = 'metrics-test-token-0123456789';
process.env['ONEPAY_OPERATOR_TOKEN'] = TOKEN;

/** The value of one sample of the text format, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

/** Every metric name the dashboard's queries use (docs/grafana-dashboard.json). */
function dashboardMetrics(): string[] {
  const dashboard = readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
  const exprs = [...dashboard.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
  assert.ok(exprs.length >= 20, 'the dashboard has its queries');
  return [...new Set(exprs.flatMap((e) => e.match(/\b(?:onepay|process|nodejs)_[a-z0-9_]+/g) ?? []))];
}

for (const database of TEST_DATABASES) {
  describe(`/metrics on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(() => t?.close());

    const scrape = async (authorization = `Bearer ${TOKEN}`) => {
      const response = await fetch(`${t.running.url}/metrics`, { headers: { authorization } });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        text: await response.text(),
      };
    };

    it('answers operators only: no token or a wrong one gets 403', availability, async () => {
      assert.equal((await scrape('')).status, 403);
      assert.equal((await scrape(`Bearer ${TOKEN.slice(0, -1)}x`)).status, 403);
      const ok = await scrape();
      assert.equal(ok.status, 200);
      assert.match(ok.type ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(ok.text, /# TYPE onepay_calls_total counter/);
      assert.match(ok.text, /# TYPE onepay_stage_seconds histogram/);
      assert.match(ok.text, /# TYPE nodejs_eventloop_lag_seconds gauge/);
    });

    it('serves every metric the Grafana dashboard in docs/ queries', availability, async () => {
      const text = (await scrape()).text;
      const missing = dashboardMetrics().filter((name) => {
        const histogram = name.replace(/_(bucket|sum|count)$/, '');
        return !text.includes(`# TYPE ${name} `) && !text.includes(`# TYPE ${histogram} histogram`);
      });
      assert.deepEqual(missing, []);
    });

    it('counts calls by transType and respCode, and times each stage of them', availability, async () => {
      const before = (await scrape()).text;
      const card = `M${database.name}`;
      for (let n = 0; n < 3; n++) {
        const paid = await t.client.recharge(cashRecharge(card, `MC-${database.name}-${n}`, '1.00'));
        assert.equal(paid.respCode, '000000', paid.respMsg);
      }
      const lost = await t.client.query({
        operatorId: '001',
        termNo: 'T01',
        operatorName: '张三',
        cardType: '03',
        cardNo: card,
        accountType: '01',
        tradeType: 'hop.trade.recharge',
        outTradeNo: 'no-such-order',
      });
      const after = (await scrape()).text;
      const delta = (name: string, labels: Record<string, string>) =>
        sample(after, name, labels) - sample(before, name, labels);

      assert.equal(delta('onepay_calls_total', { trans_type: 'hop.trade.recharge', resp_code: '000000' }), 3);
      assert.equal(
        delta('onepay_calls_total', { trans_type: 'hop.trade.query', resp_code: lost.respCode }),
        1,
      );
      for (const stage of ['envelope', 'replay', 'validation', 'handler', 'call']) {
        assert.equal(delta('onepay_stage_seconds_count', { stage }), 4, stage);
        assert.ok(delta('onepay_stage_seconds_sum', { stage }) > 0, stage);
        // Cumulative buckets: +Inf holds every observation.
        assert.equal(delta('onepay_stage_seconds_bucket', { stage, le: '+Inf' }), 4, stage);
      }
      // Each recharge writes in the database at least once.
      assert.ok(delta('onepay_stage_seconds_count', { stage: 'database' }) >= 3);
    });

    it('counts a call refused before its envelope is opened by its code', availability, async () => {
      const before = (await scrape()).text;
      const response = await fetch(`${t.running.url}/onepay-web/oneweb/oneapi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"not":"an envelope"}',
      });
      const answer = (await response.json()) as { respCode: string };
      const after = (await scrape()).text;
      const labels = { trans_type: '(refused)', resp_code: answer.respCode };
      assert.equal(
        sample(after, 'onepay_calls_total', labels) - sample(before, 'onepay_calls_total', labels),
        1,
      );
    });

    it(
      'a QR payment waiting is a channel call and an unsettled order; an event waiting is outbox backlog',
      availability,
      async () => {
        const before = (await scrape()).text;
        const waiting = await t.client.recharge({
          ...cashRecharge(`Q${database.name}`, `MQ-${database.name}`, '2.00'),
          depositType: 'ALI_QR',
        });
        assert.equal(waiting.respCode, '000000', waiting.respMsg);
        assert.ok(
          (waiting['param'] as Record<string, string>)['qrcode'],
          'the QR the patient scans: paid later',
        );
        const now = t.running.platform.clock();
        await enqueue(t.running.platform.store.db, {
          appid: t.appid,
          topic: 'metrics.test',
          payload: {},
          now: now - 5_000,
        });
        await enqueue(t.running.platform.store.db, {
          appid: t.appid,
          topic: 'metrics.test',
          payload: {},
          now: now + 3_600_000,
        });
        const after = (await scrape()).text;
        assert.ok(
          sample(after, 'onepay_stage_seconds_count', { stage: 'channel' }) >
            sample(before, 'onepay_stage_seconds_count', { stage: 'channel' }),
        );
        assert.equal(sample(after, 'onepay_orders_unsettled', { kind: 'recharge', state: 'ing' }), 1);
        assert.equal(sample(after, 'onepay_outbox_backlog', { due: 'yes' }), 1);
        assert.equal(sample(after, 'onepay_outbox_backlog', { due: 'no' }), 1);
        assert.ok(sample(after, 'onepay_outbox_oldest_due_seconds') >= 5);
      },
    );

    it(
      'shows how the database is used: pool connections on PostgreSQL, group commits on SQLite',
      availability,
      async () => {
        const text = (await scrape()).text;
        if (database.name === 'postgres') {
          assert.ok(sample(text, 'onepay_db_pool_connections', { pool: 'main', use: 'idle' }) >= 1);
          assert.match(text, /onepay_db_pool_connections\{pool="lazy",use="waiting"\} 0/);
        } else {
          assert.ok(sample(text, 'onepay_group_commit_batches') >= 1);
          assert.ok(sample(text, 'onepay_group_commit_units') >= sample(text, 'onepay_group_commit_batches'));
        }
      },
    );
    it('times each call to an external HIS as the his stage', availability, async () => {
      const sim = await startHisSim({ key: 'metrics-his-key' });
      const original = (await t.running.platform.apps.find(t.appid))?.config ?? {};
      try {
        await t.running.platform.apps.configure(t.appid, {
          depositProvider: { kind: 'his-http', baseUrl: sim.url, key: 'metrics-his-key', timeoutMs: 2_000 },
        });
        const before = (await scrape()).text;
        const paid = await t.client.recharge({
          ...cashRecharge(`H${database.name}`, `MH-${database.name}`, '5.00'),
          accountType: '02',
        });
        assert.equal(paid.respCode, '000000', paid.respMsg);
        const after = (await scrape()).text;
        const his = (text: string) => sample(text, 'onepay_stage_seconds_count', { stage: 'his' });
        assert.ok(his(after) - his(before) >= 1, 'the HIS was credited: at least one call timed');
        assert.ok(sample(after, 'onepay_stage_seconds_sum', { stage: 'his' }) > 0);
      } finally {
        await t.running.platform.apps.configure(t.appid, original);
        await sim.close();
      }
    });
  });
}
