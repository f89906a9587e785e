import { groupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';

/**
 * A nonce is accepted once within the replay window. The claim is a row whose
 * primary key is (appid, nonce), so it also holds across several platform
 * processes sharing one PostgreSQL. On SQLite the claim joins the group
 * commit: a claim per request would otherwise cost an fsync per request.
 */
export async function claimNonce(store: Store, appid: string, nonce: string, tsS: number): Promise<boolean> {
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
