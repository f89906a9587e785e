/**
 * What a quiet live stream must still show though its re-reads rebuild
 * nothing unchanged and the screens share one look at open orders
 * (SnapshotMemo, ActiveDeskOrders): a change the in-process bus never heard
 * of (another process's, here a write that publishes nothing), and time
 * passing (the HIS's lease, an order's expiry) with no change at all.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { deskRechargePindata, openAnswer, seal } from '../../bench/lib/requests.js';
import { DESK_WAIT_LEASE_MS, sawHisAtDesk } from '../../src/platform/events/desk-waits.js';
import { handleApiCall } from '../../src/platform/gateway/api.js';
import type { OrderTable } from '../../src/platform/store/index.js';
import { findOrder, findOrderByOutNo } from '../../src/platform/trades/orders.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { ActiveDeskOrders } from '../../src/web/screen/active-orders.js';
import { screenPath } from '../../src/web/screen/key.js';
import { SnapshotMemo } from '../../src/web/shared/snapshot-memo.js';
import { POLL_MS } from '../../src/web/shared/sse.js';

interface Event {
  readonly at: number;
  readonly state: string;
}

/** An SSE client that keeps every snapshot's state and when it came. */
function follow(url: string): { events: Event[]; close(): void } {
  const events: Event[] = [];
  let pending = '';
  const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      let end = pending.indexOf('\n\n');
      while (end >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        end = pending.indexOf('\n\n');
        if (block.startsWith('data: ')) {
          events.push({ at: Date.now(), state: (JSON.parse(block.slice(6)) as { state: string }).state });
        }
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, close: () => req.destroy() };
}

async function until(what: () => boolean, ms: number, why: string): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`${why}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The latest state a stream showed. */
const latest = (events: readonly Event[]) => events.at(-1)?.state;

/** A quiet stream's change shows within the shared look's age and one re-read (one stream open each here). */
const QUIET_SHOWS_WITHIN_MS = 2 * POLL_MS + 1_500;

for (const database of TEST_DATABASES) {
  describe(`quiet live streams on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let n = 0;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { suite: 'AES' });
    });
    after(() => t?.close());

    /** A recharge left at the desk of `termNo` (its HIS waits from now), and its desk's status link. */
    async function deskOrder(termNo: string): Promise<{ order: OrderTable; deskStatus: string }> {
      const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
      const sealed = seal(creds, deskRechargePindata('QR', n++, termNo));
      const answer = await handleApiCall(t.running.platform, sealed.body.toString());
      const opened = openAnswer(creds, Buffer.from(answer.body), sealed.nonce);
      assert.equal(typeof opened, 'object', String(opened));
      const deskUrl = ((opened as Record<string, unknown>)['param'] as { deskUrl: string }).deskUrl;
      const order = await findOrderByOutNo(
        t.running.platform.store.db,
        t.appid,
        'recharge',
        JSON.parse(deskRechargePindata('QR', n - 1, termNo)).param.outChargeNo,
      );
      assert.ok(order);
      return { order, deskStatus: `${t.running.url}${new URL(deskUrl).pathname}/status` };
    }

    async function screenStatus(termNo: string): Promise<string> {
      const app = await t.running.platform.apps.find(t.appid);
      assert.ok(app);
      return `${t.running.url}${screenPath(app, termNo).replace(`/screen/${termNo}?`, `/screen/${termNo}/status?`)}`;
    }

    /**
     * A write the bus never hears of, as another process's: on SQLite through
     * a connection of its own to the file, on PostgreSQL through the pool
     * (another server session). updated_at moves only when `set` says so.
     */
    async function behindTheBus(traceNo: string, set: Partial<OrderTable>): Promise<void> {
      if (database.name !== 'sqlite') {
        await t.running.platform.store.db
          .updateTable('orders')
          .set(set)
          .where('trace_no', '=', traceNo)
          .execute();
        return;
      }
      const other = new Database(join(t.dataDir, 'onepay.db'));
      try {
        other.pragma('busy_timeout = 5000');
        const columns = Object.keys(set);
        other
          .prepare(`update orders set ${columns.map((c) => `${c} = ?`).join(', ')} where trace_no = ?`)
          .run(...columns.map((c) => set[c as keyof OrderTable]), traceNo);
      } finally {
        other.close();
      }
    }

    it(
      'a screen drops an order when the HIS stops waiting, then shows another process move it, then drops it at its expiry',
      availability,
      async () => {
        const { order } = await deskOrder('QS1');
        const screen = follow(await screenStatus('QS1'));
        try {
          await until(() => latest(screen.events) === 'choose', 3_000, 'the waiting order on screen');
          // The HIS's lease runs out in a second; nothing in the database changes.
          const leaseEnds = Date.now() + 1_000;
          sawHisAtDesk(order.trace_no, leaseEnds - DESK_WAIT_LEASE_MS);
          await until(
            () => latest(screen.events) === 'idle',
            QUIET_SHOWS_WITHIN_MS,
            'the welcome after the lease',
          );
          assert.ok((screen.events.at(-1)?.at ?? 0) >= leaseEnds, 'not before the lease ended');

          // Another process takes the payment: paying now, running out in 3 s, last moved long ago.
          const expireAt = Date.now() + 3_000;
          await behindTheBus(order.trace_no, {
            state: 'ing',
            expire_at: expireAt,
            updated_at: Date.now() - 60_000,
          });
          await until(
            () => latest(screen.events) === 'paying',
            QUIET_SHOWS_WITHIN_MS,
            'the payment on screen',
          );
          // Nothing changes any more; the order's own expiry takes it off the screen.
          await until(
            () => latest(screen.events) === 'idle',
            3_000 + POLL_MS + 1_500,
            'the welcome at expiry',
          );
          assert.ok((screen.events.at(-1)?.at ?? 0) >= expireAt, 'not before the order expired');
        } finally {
          screen.close();
        }
      },
    );

    it('a desk shows a change another process made without touching updated_at', availability, async () => {
      const { order, deskStatus } = await deskOrder('QD1');
      const desk = follow(deskStatus);
      try {
        await until(() => latest(desk.events) === 'choose', 3_000, 'the desk at the choice');
        // Quiet for a few re-reads: nothing more is sent.
        await new Promise((r) => setTimeout(r, 2 * POLL_MS + 200));
        assert.deepEqual(
          desk.events.map((e) => e.state),
          ['choose'],
        );
        await behindTheBus(order.trace_no, { state: 'closed', finished_at: Date.now() });
        await until(
          () => latest(desk.events) === 'closed',
          QUIET_SHOWS_WITHIN_MS,
          'the closed order at the desk',
        );
      } finally {
        desk.close();
      }
    });

    it(
      'the screens share one look a POLL_MS, and an order leaves it at its expiry',
      availability,
      async () => {
        const { order } = await deskOrder('QA1');
        const shared = new ActiveDeskOrders(t.running.platform);
        const read = await shared.of(t.appid, 'QA1', Date.now());
        assert.deepEqual(
          read.map((e) => e.trace_no),
          [order.trace_no],
        );
        // Within POLL_MS nothing is read again: a change behind the bus is not seen yet…
        await behindTheBus(order.trace_no, { state: 'closed' });
        assert.equal((await shared.of(t.appid, 'QA1', Date.now())).length, 1);
        // …but time is: at its expire_at the order is gone from the same read.
        assert.deepEqual(await shared.of(t.appid, 'QA1', order.expire_at ?? 0), []);
        // Once POLL_MS has passed the next look reads again and sees the change.
        await new Promise((r) => setTimeout(r, POLL_MS + 50));
        assert.deepEqual(await shared.of(t.appid, 'QA1', Date.now()), []);
      },
    );

    it(
      'an unchanged re-read builds no snapshot; any changed column, updated_at or not, builds one',
      availability,
      async () => {
        const { order } = await deskOrder('QM1');
        const db = t.running.platform.store.db;
        const memo = new SnapshotMemo<{ state: string }>();
        const build = async () => ({ state: 'built' });
        const first = await memo.of([await findOrder(db, t.appid, order.trace_no), 'app'], build);
        const again = await memo.of([await findOrder(db, t.appid, order.trace_no), 'app'], build);
        assert.equal(memo.builds, 1, 'a row read again, equal by value, rebuilds nothing');
        assert.equal(again, first, 'the same snapshot object: the stream serialises nothing');
        await behindTheBus(order.trace_no, { expire_at: (order.expire_at ?? 0) + 1 });
        await memo.of([await findOrder(db, t.appid, order.trace_no), 'app'], build);
        assert.equal(memo.builds, 2, 'a column changed without updated_at moving');
        await memo.of([await findOrder(db, t.appid, order.trace_no), 'another app name'], build);
        assert.equal(memo.builds, 3, 'a fact beside the row changed');
      },
    );
  });
}
