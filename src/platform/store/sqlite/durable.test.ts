/**
 * The promise of sqlite/wal-sync.ts: with the WAL synced off the event loop,
 * nothing is handed out before the sync that follows its commit has finished
 * — neither a group-commit unit's answer nor a read outside a transaction —
 * while the next batch commits during the sync; a failed sync fails every
 * caller instead of answering as if the data were on disk.
 */
import assert from 'node:assert/strict';
import { fdatasync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { groupCommit } from '../group-commit.js';
import { openStore, type Store } from '../open.js';
import type { SyncFile } from './wal-sync.js';

/** Once `hold` is set, syncs the test finishes by hand, so it can look at what was answered in between. */
function heldSyncs() {
  const pending: ((error: Error | null) => void)[] = [];
  const state = { hold: false };
  const syncFile: SyncFile = (fd, done) => (state.hold ? pending.push(done) : fdatasync(fd, done));
  return {
    syncFile,
    pending,
    state,
    finishOne(error: Error | null = null) {
      const done = pending.shift();
      assert.ok(done, 'a sync was under way');
      done(error);
    },
  };
}

const tempUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'onepay-wal-')), 'test.db')}`;
const tick = () => new Promise((r) => setImmediate(r));

async function insertNonce(store: Store, nonce: string): Promise<string> {
  return groupCommit(store).run(async (trx) => {
    await sql`insert into nonce_claims (appid, nonce, ts_s) values ('A', ${nonce}, 0)`.execute(trx);
    return nonce;
  });
}

/** Resolves to true once `promise` settles; `false` while it has not after a few turns. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await tick();
  return done;
}

describe('SQLite durability with the WAL synced off the event loop', () => {
  it('answers a unit only after the sync that followed its COMMIT, and commits the next batch meanwhile', async () => {
    const held = heldSyncs();
    const store = await openStore(tempUrl(), { syncFile: held.syncFile });
    try {
      held.state.hold = true;
      const first = insertNonce(store, 'n1');
      assert.equal(await settledYet(first), false, 'answered before its WAL was synced');
      assert.equal(held.pending.length, 1, 'one sync under way for the first batch');

      // A second batch commits while the first sync is still under way…
      const second = insertNonce(store, 'n2');
      await settledYet(second);
      // …and is not covered by a sync that began before its COMMIT.
      held.finishOne();
      assert.equal(await first, 'n1');
      assert.equal(await settledYet(second), false, 'answered on a sync that began before its COMMIT');
      held.finishOne();
      assert.equal(await second, 'n2');
    } finally {
      held.state.hold = false;
      while (held.pending.length > 0) held.finishOne();
      await store.close();
    }
  });

  it('hands out a read outside a transaction only once what it could see is on disk', async () => {
    const held = heldSyncs();
    const store = await openStore(tempUrl(), { syncFile: held.syncFile });
    try {
      held.state.hold = true;
      void insertNonce(store, 'seen');
      await tick();
      await tick();
      const read = store.db.selectFrom('nonce_claims').select('nonce').where('nonce', '=', 'seen').execute();
      assert.equal(await settledYet(read), false, 'a row was handed out before its commit was on disk');
      held.finishOne();
      assert.deepEqual(await read, [{ nonce: 'seen' }]);
      // Nothing new committed: the next read does not wait for any sync.
      const again = store.db.selectFrom('nonce_claims').select('nonce').execute();
      assert.equal(await settledYet(again), true);
      assert.equal(held.pending.length, 0);
    } finally {
      held.state.hold = false;
      while (held.pending.length > 0) held.finishOne();
      await store.close();
    }
  });

  it('fails every caller once a sync has failed', async () => {
    const held = heldSyncs();
    const store = await openStore(tempUrl(), { syncFile: held.syncFile });
    try {
      held.state.hold = true;
      const unit = insertNonce(store, 'lost');
      await tick();
      held.finishOne(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await assert.rejects(unit, /could not be flushed to disk/);
      await assert.rejects(
        store.db.selectFrom('nonce_claims').select('nonce').execute(),
        /could not be flushed/,
      );
    } finally {
      await store.close();
    }
  });

  it('runs SQLite with synchronous=NORMAL and shares one real fdatasync among concurrent batches', async () => {
    let syncs = 0;
    const counting: SyncFile = (fd, done) => {
      syncs++;
      fdatasync(fd, done);
    };
    const store = await openStore(tempUrl(), { syncFile: counting });
    try {
      const level = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      assert.equal(level.rows[0]?.synchronous, 1);
      const before = syncs;
      const names = Array.from({ length: 200 }, (_, i) => `c${i}`);
      // Each caller in its own turn, as requests arrive: batches form while syncs run.
      const all = names.map(async (n, i) => {
        for (let k = 0; k < i % 7; k++) await tick();
        return insertNonce(store, n);
      });
      assert.deepEqual(await Promise.all(all), names);
      const used = syncs - before;
      assert.ok(used >= 1, 'the WAL was synced');
      assert.ok(used < names.length, `one sync per unit (${used}): syncs are not shared`);
    } finally {
      await store.close();
    }
  });
});
