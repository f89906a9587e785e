import { groupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';

/**
 * Claims a nonce: true once per (appid, nonce) within the replay window.
 *
 * PostgreSQL: the claim is an INSERT … ON CONFLICT DO NOTHING in autocommit,
 * so it holds across several platform processes sharing one database.
 *
 * SQLite (one process owns the file): the claim is decided at once, from the
 * table plus the claims of this process not yet committed, and its row rides
 * in the next group commit instead of waiting for an fsync of its own. The
 * queue is first-in first-out, so a trade that commits after its claim (cash,
 * refunds) commits in the same batch or a later one: no money-moving answer is
 * sent before the claim that guards it is durable. A read is answered without
 * waiting; a crash within that one batch could forget the claim of a query,
 * and replaying a query only reads again what was already read.
 */
export async function claimNonce(store: Store, appid: string, nonce: string, tsS: number): Promise<boolean> {
  if (store.dialect !== 'sqlite') return insertClaim(store, appid, nonce, tsS);
  const key = `${appid}\u0000${nonce}`;
  const pending = pendingClaims(store);
  if (pending.has(key)) return false;
  const seen = await store.db
    .selectFrom('nonces')
    .select('ts_s')
    .where('appid', '=', appid)
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  // Checked again: another request with this nonce may have claimed it while the read ran.
  if (seen || pending.has(key)) return false;
  pending.add(key);
  insertClaim(store, appid, nonce, tsS).then(
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

async function insertClaim(store: Store, appid: string, nonce: string, tsS: number): Promise<boolean> {
  const result = await groupCommit(store).runStatement((db) =>
    db
      .insertInto('nonces')
      .values({ appid, nonce, ts_s: tsS })
      .onConflict((oc) => oc.columns(['appid', 'nonce']).doNothing())
      .executeTakeFirst(),
  );
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Drops claims that the timestamp check alone now rejects. */
export async function purgeNonces(store: Store, nowS: number, windowS: number): Promise<number> {
  const result = await store.db
    .deleteFrom('nonces')
    .where('ts_s', '<', nowS - 2 * windowS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
