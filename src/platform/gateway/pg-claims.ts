import { sql } from 'kysely';
import { compiledOnce } from '../store/compiled.js';
import type { Store } from '../store/index.js';

export interface Claim {
  readonly ts: number;
  readonly appid: string;
  readonly nonce: string;
}

/** Claims per statement: bounds the statement's size (three arrays of this many). */
const MAX_BATCH = 1_000;

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

const keyOf = (ts: number, appid: string, nonce: string) => `${ts}\u0000${appid}\u0000${nonce}`;

interface Waiting {
  readonly claim: Claim;
  readonly resolve: (won: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * PostgreSQL nonce claims, batched: the claims that arrive in one turn of the
 * event loop go to the server as one statement instead of one each. On
 * PostgreSQL a statement costs a wake-up of a server process, and every
 * request claims: for a query it was one of two statements. Batches do not
 * wait for each other; each runs on its own connection of the lazy pool.
 */
export class PgClaimBatcher {
  private waiting: Waiting[] = [];

  constructor(private readonly store: Store) {}

  claim(claim: Claim): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.sendAll());
      this.waiting.push({ claim, resolve, reject });
    });
  }

  private sendAll(): void {
    const all = this.waiting;
    this.waiting = [];
    for (let at = 0; at < all.length; at += MAX_BATCH) void this.send(all.slice(at, at + MAX_BATCH));
  }

  private async send(batch: Waiting[]): Promise<void> {
    // The same claim twice in one statement would be inserted once and returned once, and
    // both callers would read that row as theirs: the second loses here, before the database.
    const first = new Map<string, Waiting>();
    for (const w of batch) {
      const key = keyOf(w.claim.ts, w.claim.appid, w.claim.nonce);
      if (first.has(key)) w.resolve(false);
      else first.set(key, w);
    }
    const sent = [...first.values()];
    try {
      const result = await insertClaims(this.store.lazyDb, {
        ts: sent.map((w) => w.claim.ts),
        appid: sent.map((w) => w.claim.appid),
        nonce: sent.map((w) => w.claim.nonce),
      });
      const won = new Set(result.rows.map((r) => keyOf(Number(r.ts_s), r.appid, r.nonce)));
      for (const [key, w] of first) w.resolve(won.has(key));
    } catch (error) {
      for (const w of sent) w.reject(error);
    }
  }
}

const batchers = new WeakMap<Store, PgClaimBatcher>();

export function pgClaims(store: Store): PgClaimBatcher {
  let batcher = batchers.get(store);
  if (!batcher) {
    batcher = new PgClaimBatcher(store);
    batchers.set(store, batcher);
  }
  return batcher;
}
