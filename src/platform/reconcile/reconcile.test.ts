import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { listAudit } from '../console/audit.js';
import { consoleDb } from '../console/tables.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../his/signature.js';
import { beijingDayOf } from './day.js';
import { fetchHisStatement, parseHisCsv } from './his-statement.js';
import { listDifferences, resolveDifference } from './queue.js';
import { ReconcileBusyError, reconcileDay } from './run.js';
import { reconcileDue, reconcileHour } from './schedule.js';
import { reconcileDb } from './tables.js';

const KEY = 'his-shared-key-for-reconcile';
const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const card = (n: number) => ({ ...op, cardType: '03', cardNo: `RC${n}`, accountType: '02' });
const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;
const DAY_MS = 86_400_000;

for (const database of TEST_DATABASES) {
  describe(`daily reconciliation on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let sim: Awaited<ReturnType<typeof startHisSim>>;
    const db = () => t.running.platform.store.db;
    const traces: Record<string, string> = {};
    let day = '';

    async function paidByQr(n: number): Promise<string> {
      const pending = await t.client.recharge({
        ...card(n),
        hisCustId: `H${n}`,
        userName: '赵六',
        amount: '50.00',
        outChargeNo: `RQ${n}`,
        depositType: 'ALI_QR',
        extra: { deskflak: '1' },
      });
      const paid = await fetch(`${String(p(pending)['qrcode'])}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      assert.equal(paid.status, 200);
      const q = await t.client.query({ ...card(n), tradeType: 'hop.trade.recharge', outTradeNo: `RQ${n}` });
      assert.equal(p(q)['result'], 'succ', JSON.stringify(q));
      return String(p(pending)['traceNo']);
    }

    /** A signed credit straight to the HIS: money the HIS booked that the platform never took. */
    async function creditAtHisOnly(traceNo: string): Promise<void> {
      const body = JSON.stringify({
        traceNo,
        appid: t.appid,
        cardType: '03',
        cardNo: 'RC99',
        accountType: '02',
        hisCustId: 'H99',
        amount: '7.00',
      });
      const ts = Math.floor(Date.now() / 1000);
      const r = await fetch(`${sim.url}/credit`, {
        method: 'POST',
        headers: { [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signBody(KEY, ts, body) },
        body,
      });
      assert.equal(((await r.json()) as { code: string }).code, '0');
    }

    before(async () => {
      if (availability.skip) return;
      sim = await startHisSim({ key: KEY });
      t = await startTestPlatform(database, { settings: { sweepIntervalMs: 3_600_000 } });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 2000 },
      });
      day = beijingDayOf(Date.now());
      for (const [n, name] of ['matched', 'short', 'amount', 'state', 'hisMissing'].entries()) {
        traces[name] = await paidByQr(n + 1);
      }
      // The channel booked this payment on the day before: not on today's statement (短款).
      await db()
        .updateTable('sandbox_payments')
        .set({ paid_at: Date.now() - DAY_MS })
        .where('trace_no', '=', traces['short']!)
        .execute();
      // The channel took 49.00 for a 50.00 order.
      await db()
        .updateTable('sandbox_payments')
        .set({ amount_fen: 4900 })
        .where('trace_no', '=', traces['amount']!)
        .execute();
      // The channel reversed a payment the platform holds as paid.
      await db()
        .updateTable('sandbox_payments')
        .set({ state: 'revoked' })
        .where('trace_no', '=', traces['state']!)
        .execute();
      // The channel took money under a number the platform never issued (长款).
      const now = Date.now();
      await db()
        .insertInto('sandbox_payments')
        .values({
          trace_no: 'GHOST0001',
          appid: t.appid,
          channel: 'ALI_QR',
          amount_fen: 1234,
          subject: '?',
          term_no: 'T01',
          token: null,
          state: 'success',
          scenario: 'wallet',
          queries: 0,
          paid_channel: 'ALI_QR',
          channel_trade_no: 'CH-GHOST-1',
          pos_no: null,
          result_extra: null,
          message: null,
          refunded_fen: 0,
          refund_outcome: null,
          expire_at: now + DAY_MS,
          paid_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // The HIS lost one credit and booked one the platform never made.
      const forgot = await fetch(`${sim.url}/_forget`, {
        method: 'POST',
        body: JSON.stringify({ operation: 'credit', traceNo: traces['hisMissing'] }),
      });
      assert.deepEqual(await forgot.json(), { forgotten: true });
      await creditAtHisOnly('HISONLY0001');
    });
    after(async () => {
      await t?.close();
      await sim?.close();
    });

    const expected = () =>
      [
        `amount/channel/${traces['amount']}`,
        'hisExtra/his/HISONLY0001',
        `hisMissing/his/${traces['hisMissing']}`,
        'long/channel/GHOST0001',
        `short/channel/${traces['short']}`,
        `state/channel/${traces['state']}`,
      ].sort();
    const found = async () =>
      (await listDifferences(t.running.platform, { appid: t.appid, day }))
        .map((d) => `${d.kind}/${d.source}/${d.trace_no}`)
        .sort();

    it('a run killed midway finds, when run again, each difference exactly once', availability, async () => {
      await assert.rejects(
        reconcileDay(t.running.platform, t.appid, day, {
          afterStep: (name) => {
            if (name === 'state') throw new Error('killed');
          },
        }),
        /killed/,
      );
      const partial = await found();
      assert.deepEqual(partial, [`long/channel/GHOST0001`, `state/channel/${traces['state']}`]);
      const run = await reconcileDay(t.running.platform, t.appid, day);
      assert.deepEqual(await found(), expected());
      assert.deepEqual(run.differences, {
        amount: 1,
        hisExtra: 1,
        hisMissing: 1,
        long: 1,
        short: 1,
        state: 1,
      });
      // Matched: the channel agrees on matched and hisMissing; the HIS on matched, short, amount, state.
      assert.deepEqual(run.matched, { channel: 2, his: 4 });
    });

    it('re-running the day changes nothing', availability, async () => {
      const before = await listDifferences(t.running.platform, { appid: t.appid, day });
      await reconcileDay(t.running.platform, t.appid, day);
      assert.deepEqual(await listDifferences(t.running.platform, { appid: t.appid, day }), before);
      const run = await reconcileDb(db())
        .selectFrom('reconcile_runs')
        .selectAll()
        .where('appid', '=', t.appid)
        .executeTakeFirstOrThrow();
      assert.equal(run.state, 'done');
    });

    it(
      'the HIS statement is believed only signed for its request; the run stops, nothing matched',
      availability,
      async () => {
        const wrongKey = { kind: 'his-http' as const, baseUrl: sim.url, key: 'not-the-key' };
        await assert.rejects(fetchHisStatement(wrongKey, t.appid, day), /签名不可信/);
        const rows = await fetchHisStatement({ ...wrongKey, key: KEY }, t.appid, day);
        assert.ok(rows.some((r) => r.traceNo === 'HISONLY0001' && r.amountFen === 700 && r.kind === 'pay'));
        assert.ok(!rows.some((r) => r.traceNo === traces['hisMissing']));
      },
    );

    it('a day another process holds is refused, nothing done', availability, async () => {
      await reconcileDb(db())
        .updateTable('reconcile_runs')
        .set({ state: 'running', claimed_by: 'other', claimed_until: Date.now() + 60_000 })
        .where('appid', '=', t.appid)
        .execute();
      await assert.rejects(reconcileDay(t.running.platform, t.appid, day), ReconcileBusyError);
      await reconcileDb(db())
        .updateTable('reconcile_runs')
        .set({ state: 'failed', claimed_until: 0 })
        .where('appid', '=', t.appid)
        .execute();
    });

    it('an uploaded HIS CSV replaces the HIS call: a line it lacks is missing', availability, async () => {
      const other = '2020-01-02';
      const lines = parseHisCsv(`traceNo,hisNo,amount,kind\nHISONLY0002,HX1,3.00,credit\n`);
      const run = await reconcileDay(t.running.platform, t.appid, other, { hisLines: lines });
      assert.equal(run.hisLines, 1);
      assert.deepEqual(run.differences, { hisExtra: 1 });
      assert.throws(() => parseHisCsv('traceNo,amount\nX,1.00'), /表头/);
      assert.throws(() => parseHisCsv('traceNo,hisNo,amount,kind\nX,H,-1.00,credit'), /金额/);
    });

    it('the schedule runs yesterday once the hour has come, and only once', availability, async () => {
      const yesterday = beijingDayOf(Date.now() - DAY_MS);
      assert.deepEqual(await reconcileDue(t.running.platform, 24), []);
      assert.deepEqual(await reconcileDue(t.running.platform, 0), [t.appid]);
      const run = await reconcileDb(db())
        .selectFrom('reconcile_runs')
        .selectAll()
        .where('appid', '=', t.appid)
        .where('day', '=', yesterday)
        .executeTakeFirstOrThrow();
      assert.equal(run.state, 'done');
      assert.deepEqual(await reconcileDue(t.running.platform, 0), []);
      assert.equal(reconcileHour({ ONEPAY_RECONCILE_HOUR: '7' }), 7);
      assert.throws(() => reconcileHour({ ONEPAY_RECONCILE_HOUR: '25' }), /0-23/);
    });

    it('a difference is decided once, with its audit line', availability, async () => {
      const [first] = await listDifferences(t.running.platform, { appid: t.appid, day, open: true });
      assert.ok(first);
      const key = {
        appid: first.appid,
        day: first.day,
        kind: first.kind,
        source: first.source,
        refNo: first.ref_no,
      };
      const who = { actor: 'fin', peer: '127.0.0.1' };
      assert.deepEqual(await resolveDifference(t.running.platform, key, { ...who, note: '' }), {
        ok: false,
        message: '须填写处理说明',
      });
      assert.deepEqual(await resolveDifference(t.running.platform, key, { ...who, note: '已核实' }), {
        ok: true,
      });
      const again = await resolveDifference(t.running.platform, key, { ...who, note: '再次' });
      assert.equal(again.ok, false);
      const open = await listDifferences(t.running.platform, { appid: t.appid, day, open: true });
      assert.equal(open.length, expected().length - 1);
      const trail = await listAudit(consoleDb(db()), { actor: 'fin' });
      assert.equal(trail.filter((a) => a.action === 'reconcile.resolve').length, 1);
      // A re-run keeps the decision: the difference is not queued again.
      await reconcileDay(t.running.platform, t.appid, day);
      assert.equal(
        (await listDifferences(t.running.platform, { appid: t.appid, day, open: true })).length,
        open.length,
      );
    });
  });
}
