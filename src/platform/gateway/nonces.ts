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
 * - SQLite (one process owns the file): decided at once from the table plus
 *   this process's claims not yet committed; its row joins the group commit.
 *   The queue is first-in first-out, so a trade that commits after its claim
 *   (cash, refunds) commits in the same batch or a later one.
 * Either way no money-moving answer leaves before the claim guarding it is
 * durable. A query is answered without waiting: a crash in the few
 * milliseconds before its claim is written could let that query be replayed,
 * and a replayed query only reads again what it already read.
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
  pending.add(key);
  groupCommit(store)
    .runLazyStatement((db) => insertClaim(db, claim))
    .then(
      // Once committed, the row is the claim.
      () => pending.delete(key),
      // Not written (the batch failed): the claim stays in memory, so the nonce is still refused.
      () => {},
    );
  return true;
}

const pendingByStore = new WeakMap<Store, Set<string>>();

function pendingClaims(store: Store): Set<string> {
  let pending = pendingByStore.get(store);
  if (!pending) {
    pending = new Set();
    pendingByStore.set(store, pending);
  }
  return pending;
}

/** Drops claims that the timestamp check alone now rejects (a range at the start of the key). */
export async function purgeNonces(store: Store, nowS: number, windowS: number): Promise<number> {
  const result = await store.db
    .deleteFrom('nonce_claims')
    .where('ts_s', '<', nowS - 2 * windowS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
