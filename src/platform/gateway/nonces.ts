import { compiledOnce } from '../store/compiled.js';
import { groupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';

const insertClaim = compiledOnce(['ts', 'appid', 'nonce'], (db, slot) =>
  db
    .insertInto('nonce_claims')
    .values({ ts_s: slot.ts, appid: slot.appid, nonce: slot.nonce })
    .onConflict((oc) => oc.columns(['ts_s', 'appid', 'nonce']).doNothing()),
);

const findClaim = compiledOnce(['ts', 'appid', 'nonce'], (db, slot) =>
  db
    .selectFrom('nonce_claims')
    .select('ts_s')
    .where('ts_s', '=', slot.ts)
    .where('appid', '=', slot.appid)
    .where('nonce', '=', slot.nonce),
);

/**
 * Claims a nonce: true once per (appid, ts, nonce), that is once per
 * envelope, within the replay window (the mac covers ts, so a replay carries
 * the same ts; store/migrations/0004-nonces-by-time.ts says why it is keyed so).
 *
 * No claim waits for an fsync of its own:
 * - PostgreSQL: an INSERT … ON CONFLICT DO NOTHING through `lazyDb`, decided
 *   by the database, so it holds across several platform processes; it is
 *   flushed by the next durable commit, at the latest the trade it guards.
 * - SQLite (one process serves the file, store/sqlite-owner.ts): decided at
 *   once from the table plus this process's claims not yet committed; its row
 *   joins the group commit. The queue is first-in first-out, so whatever a
 *   trade commits through it after its claim (cash, refunds, settlements)
 *   commits in the same batch or a later one.
 * Either way no answer that confirms money moved leaves before the claim
 * guarding it is durable. Rows written outside the group commit (an order
 * waiting for its QR payment) may reach the disk before their claim; after a
 * crash their merchant number still stops a replay. A query is answered
 * without waiting: a crash in the ~20 ms before its claim is
 * written could let that query be replayed, which only reads again.
 */
export async function claimNonce(store: Store, appid: string, nonce: string, tsS: number): Promise<boolean> {
  const claim = { ts: tsS, appid, nonce };
  if (store.dialect !== 'sqlite') {
    const result = await insertClaim(store.lazyDb, claim);
    return Number(result.numAffectedRows ?? 0n) === 1;
  }
  const key = `${tsS}\u0000${appid}\u0000${nonce}`;
  const pending = pendingClaims(store);
  if (pending.has(key)) return false;
  const seen = (await findClaim(store.db, claim)).rows.length > 0;
  // Checked again: another request with this nonce may have claimed it while the read ran.
  if (seen || pending.has(key)) return false;
  pending.set(key, tsS);
  groupCommit(store)
    .runLazyStatement((db) => insertClaim(db, claim))
    .then(
      // Once committed, the row is the claim.
      () => pending.delete(key),
      // Not written (the batch failed): the claim stays in memory, so the nonce is still
      // refused, until purgeNonces drops it with the window.
      () => {},
    );
  return true;
}

/** Claims of this process not yet committed, by key, with their ts (SQLite only). */
const pendingByStore = new WeakMap<Store, Map<string, number>>();

function pendingClaims(store: Store): Map<string, number> {
  let pending = pendingByStore.get(store);
  if (!pending) {
    pending = new Map();
    pendingByStore.set(store, pending);
  }
  return pending;
}

/**
 * Drops claims that the timestamp check alone now rejects (a range at the
 * start of the key), and with them any claim kept in memory because its row
 * could not be written.
 */
export async function purgeNonces(store: Store, nowS: number, windowS: number): Promise<number> {
  const before = nowS - 2 * windowS;
  const pending = pendingByStore.get(store);
  if (pending) for (const [key, tsS] of pending) if (tsS < before) pending.delete(key);
  const result = await store.db.deleteFrom('nonce_claims').where('ts_s', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
