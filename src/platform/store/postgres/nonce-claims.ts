import { sql } from 'kysely';
import { compiledOnce } from '../compiled.js';
import type { Store } from '../index.js';
import { perStore } from '../per-store.js';
import { TurnBatch } from '../turn-batch.js';

export interface Claim {
  readonly ts: number;
  readonly appid: string;
  readonly nonce: string;
}

/**
 * Every claim of a batch in one INSERT of three arrays; the rows it returns are
 * the claims it won. ON CONFLICT DO NOTHING lets the database decide against
 * claims of other batches and other platform processes.
 */
const insertClaims = compiledOnce(['ts', 'appid', 'nonce'], (db, slot) =>
  db
    .insertInto('nonce_claims')
    .columns(['ts_s', 'appid', 'nonce'])
    .expression(
      db
        .selectFrom(
          sql<{
            ts_s: number;
            appid: string;
            nonce: string;
          }>`unnest(${slot.ts}::bigint[], ${slot.appid}::text[], ${slot.nonce}::text[])`.as(
            sql`claims(ts_s, appid, nonce)`,
          ),
        )
        .select(['ts_s', 'appid', 'nonce']),
    )
    .onConflict((oc) => oc.columns(['ts_s', 'appid', 'nonce']).doNothing())
    .returning(['ts_s', 'appid', 'nonce']),
);

const keyOf = (c: Claim) => `${c.ts}\u0000${c.appid}\u0000${c.nonce}`;

/**
 * The claims of one turn in one statement: which of them were won. The same
 * claim twice in one statement would be inserted once and returned once, and
 * both callers would read that row as theirs, so a repeat loses here, before
 * the database.
 */
async function claimAll(store: Store, claims: readonly Claim[]): Promise<boolean[]> {
  const first = new Map<string, number>();
  claims.forEach((c, i) => {
    if (!first.has(keyOf(c))) first.set(keyOf(c), i);
  });
  const sent = [...first.values()].map((i) => claims[i] as Claim);
  const result = await insertClaims(store.lazyDb, {
    ts: sent.map((c) => c.ts),
    appid: sent.map((c) => c.appid),
    nonce: sent.map((c) => c.nonce),
  });
  const won = new Set(result.rows.map((r) => keyOf({ ts: Number(r.ts_s), appid: r.appid, nonce: r.nonce })));
  return claims.map((c, i) => first.get(keyOf(c)) === i && won.has(keyOf(c)));
}

/**
 * PostgreSQL nonce claims, batched by turn (store/turn-batch.ts): for a
 * query the claim was one of its two statements.
 */
export function claimOnPostgres(store: Store, claim: Claim): Promise<boolean> {
  return claimBatch(store).submit(claim);
}

const claimBatch = perStore((store) => new TurnBatch((claims: readonly Claim[]) => claimAll(store, claims)));
