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

const largestClaimTs = compiledOnce([], (db) =>
  db.selectFrom('nonce_claims').select((eb) => eb.fn.max('ts_s').as('ts_s')),
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
 * - SQLite (one process serves the file, store/sqlite-owner.ts): decided in
 *   memory, from this process's own claims (sqliteClaims below), and from the
 *   table only for a ts no later than the largest the table held when this
 *   process started: only those can meet a claim of an earlier run. Within
 *   ~5 minutes of a start no lookup is left (it was a tenth of a query's CPU).
 *   The row joins the group commit. The queue is first-in first-out, so
 *   whatever a trade commits through it after its claim (cash, refunds,
 *   settlements) commits in the same batch or a later one.
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
  const claims = sqliteClaims(store);
  const key = `${appid}\u0000${nonce}`;
  if (claims.byTs.get(tsS)?.has(key)) return false;
  if (tsS <= (await horizonOf(store, claims)) && (await findClaim(store.db, claim)).rows.length > 0)
    return false;
  // Checked again: another request with this nonce may have claimed it while this one waited.
  let bucket = claims.byTs.get(tsS);
  if (bucket?.has(key)) return false;
  if (!bucket) {
    bucket = new Set();
    claims.byTs.set(tsS, bucket);
  }
  bucket.add(key);
  // Not written (the batch failed): memory still refuses the nonce, until its ts leaves the window.
  groupCommit(store)
    .runLazyStatement((db) => insertClaim(db, claim))
    .catch(() => {});
  return true;
}

/**
 * A SQLite store's claims made by this process, committed or not, by ts:
 * kept until purgeNonces drops their second with the window. Their memory
 * follows the request rate: ~70 bytes a claim, so 20 MB at 1,000 requests a
 * second held for the 5-minute window.
 */
interface SqliteClaims {
  readonly byTs: Map<number, Set<string>>;
  /** The table's largest ts when this process first claimed: no earlier run's claim lies above it. */
  horizon?: number;
}

const claimsByStore = new WeakMap<Store, SqliteClaims>();

function sqliteClaims(store: Store): SqliteClaims {
  let claims = claimsByStore.get(store);
  if (!claims) {
    claims = { byTs: new Map() };
    claimsByStore.set(store, claims);
  }
  return claims;
}

/** Read once; a failed read is not kept, so the next claim reads again. */
async function horizonOf(store: Store, claims: SqliteClaims): Promise<number> {
  if (claims.horizon === undefined) {
    const row = (await largestClaimTs(store.db, {})).rows[0];
    // Several claims may have waited on the read; the first answer stands (later rows are this run's).
    claims.horizon ??= row?.ts_s == null ? -1 : Number(row.ts_s);
  }
  return claims.horizon;
}

/**
 * Drops claims that the timestamp check alone now rejects (a range at the
 * start of the key), in the table and in memory.
 */
export async function purgeNonces(store: Store, nowS: number, windowS: number): Promise<number> {
  const before = nowS - 2 * windowS;
  const claims = claimsByStore.get(store);
  if (claims) for (const tsS of claims.byTs.keys()) if (tsS < before) claims.byTs.delete(tsS);
  const result = await store.db.deleteFrom('nonce_claims').where('ts_s', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
