import { compiledOnce } from '../store/compiled.js';
import { groupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';
import { claimOnPostgres } from '../store/postgres/nonce-claims.js';

/** SQLite: the table is a log without a key (migrations/0005-nonce-log.ts); memory decides. */
const appendClaim = compiledOnce(['ts', 'appid', 'nonce'], (db, slot) =>
  db.insertInto('nonce_claims').values({ ts_s: slot.ts, appid: slot.appid, nonce: slot.nonce }),
);

const everyClaim = compiledOnce([], (db) => db.selectFrom('nonce_claims').select(['ts_s', 'appid', 'nonce']));

/**
 * Claims a nonce: true once per (appid, ts, nonce), that is once per
 * envelope, within the replay window (the mac covers ts, so a replay carries
 * the same ts; store/migrations/0004-nonces-by-time.ts says why it is keyed so).
 *
 * No claim waits for an fsync of its own:
 * - PostgreSQL: an INSERT … ON CONFLICT DO NOTHING through `lazyDb`, decided
 *   by the database, so it holds across several platform processes, one
 *   statement for the claims of a turn of the event loop (store/postgres/nonce-claims.ts); it
 *   is flushed by the next durable commit, at the latest the trade it guards.
 * - SQLite (one process serves the file, store/sqlite-owner.ts): decided in
 *   memory, which holds the claims of earlier runs still in the table (read
 *   once, at the first claim) and this run's own. No lookup per request (a
 *   tenth of a query's CPU) and the row is appended to a log, not placed by
 *   its nonce (a quarter of a recharge's commit). The row joins the group
 *   commit. The queue is first-in first-out, so whatever a trade commits
 *   through it after its claim (cash, refunds, settlements) commits in the
 *   same batch or a later one.
 * Either way no answer that confirms money moved leaves before the claim
 * guarding it is durable. Rows written outside the group commit (an order
 * waiting for its QR payment) may reach the disk before their claim; after a
 * crash their merchant number still stops a replay. A query is answered
 * without waiting: a crash in the ~20 ms before its claim is
 * written could let that query be replayed, which only reads again.
 */
export async function claimNonce(store: Store, appid: string, nonce: string, tsS: number): Promise<boolean> {
  const claim = { ts: tsS, appid, nonce };
  if (store.dialect !== 'sqlite') return claimOnPostgres(store, claim);
  const claims = await sqliteClaims(store);
  if (!remember(claims, tsS, `${appid}\u0000${nonce}`)) return false;
  // Not written (the batch failed): memory still refuses the nonce, until its ts leaves the window.
  groupCommit(store)
    .runLazyStatement((db) => appendClaim(db, claim))
    .catch(() => {});
  return true;
}

/**
 * A SQLite store's claims by ts: `appid NUL nonce`. Their memory follows
 * the request rate: ~70 bytes a claim, kept until purgeNonces finds its
 * second out of the window (at most 7 minutes), so ~30 MB at a sustained
 * 1,000 requests a second.
 */
type SqliteClaims = Map<number, Set<string>>;

/** Adds a claim; false when it was there already. */
function remember(claims: SqliteClaims, tsS: number, key: string): boolean {
  let second = claims.get(tsS);
  if (!second) {
    second = new Set();
    claims.set(tsS, second);
  }
  if (second.has(key)) return false;
  second.add(key);
  return true;
}

const claimsByStore = new WeakMap<Store, Promise<SqliteClaims>>();

function sqliteClaims(store: Store): Promise<SqliteClaims> {
  let claims = claimsByStore.get(store);
  if (!claims) {
    claims = everyClaim(store.db, {}).then((result) => {
      const loaded: SqliteClaims = new Map();
      for (const row of result.rows) remember(loaded, Number(row.ts_s), `${row.appid}\u0000${row.nonce}`);
      return loaded;
    });
    // A failed read is not kept: the next claim reads again.
    claims.catch(() => claimsByStore.delete(store));
    claimsByStore.set(store, claims);
  }
  return claims;
}

/**
 * Drops claims that the timestamp check alone now rejects, in the table and
 * in memory. The table keeps twice the window; memory, which only ever
 * answers for a ts the envelope check let through, the window and a minute.
 */
export async function purgeNonces(store: Store, nowS: number, windowS: number): Promise<number> {
  const before = nowS - 2 * windowS;
  const claims = store.dialect === 'sqlite' ? await claimsByStore.get(store) : undefined;
  if (claims) {
    const forgotten = nowS - windowS - 60;
    for (const tsS of claims.keys()) if (tsS < forgotten) claims.delete(tsS);
  }
  const result = await store.db.deleteFrom('nonce_claims').where('ts_s', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
