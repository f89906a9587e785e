/**
 * Group commit (src/platform/store/group-commit.ts): units that arrive
 * together share one transaction; a failing unit is undone alone; a caller
 * hears back only once its unit is visible to another connection (committed);
 * a database error in a lone statement fails its whole batch, nothing of it kept.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { groupCommit } from '../../src/platform/store/group-commit.js';
import { openStore, type Store } from '../../src/platform/store/index.js';

describe('group commit on SQLite', () => {
  let store: Store;
  let path: string;
  let peer: Database.Database;
  before(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'onepay-gc-')), 'gc.db');
    store = await openStore(`sqlite:${path}`);
    peer = new Database(path, { readonly: true });
  });
  after(async () => {
    peer?.close();
    await store?.close();
  });

  const seen = (nonce: string) =>
    peer.prepare('select count(*) as n from nonce_claims where nonce = ?').get(nonce) as { n: number };
  const claim = (nonce: string) =>
    groupCommit(store).runStatement((db) =>
      db
        .insertInto('nonce_claims')
        .values({ appid: 'gc', nonce, ts_s: 1 })
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );

  it('concurrent units share batches, and each is committed when its caller hears back', async () => {
    const before = { ...groupCommit(store).stats };
    const names = Array.from({ length: 200 }, (_, i) => `n${i}`);
    const visible = await Promise.all(names.map((n) => claim(n).then(() => seen(n).n)));
    assert.deepEqual(new Set(visible), new Set([1]), 'a caller heard back before its commit');
    const stats = groupCommit(store).stats;
    const batches = stats.batches - before.batches;
    assert.equal(stats.units - before.units, 200);
    assert.ok(batches < 20, `200 concurrent units took ${batches} commits`);
  });

  const lazyClaim = (nonce: string) =>
    groupCommit(store).runLazyStatement((db) =>
      db.insertInto('nonce_claims').values({ appid: 'gc', nonce, ts_s: 1 }).execute(),
    );

  it('lazy units wait for company, then commit on their own; a waited-on unit takes them along', async () => {
    const before = { ...groupCommit(store).stats };
    // Alone: nothing else arrives, and the lazy units still commit, together.
    await Promise.all(['l1', 'l2', 'l3'].map((n) => lazyClaim(n)));
    assert.deepEqual(
      ['l1', 'l2', 'l3'].map((n) => seen(n).n),
      [1, 1, 1],
    );
    assert.equal(groupCommit(store).stats.batches - before.batches, 1, 'three lazy units, one commit');
    // With a waited-on unit: it does not wait for the window, and the lazy unit rides along.
    const mid = { ...groupCommit(store).stats };
    const lazy = lazyClaim('l4');
    await claim('e1');
    assert.equal(seen('l4').n, 1, 'the lazy unit queued first was not in the eager batch');
    await lazy;
    assert.equal(groupCommit(store).stats.batches - mid.batches, 1);
  });

  it('flush commits lazy units at once', async () => {
    const lazy = lazyClaim('f1');
    await groupCommit(store).flush();
    assert.equal(seen('f1').n, 1, 'flush returned before the lazy unit was committed');
    await lazy;
  });

  it('a failing unit is rolled back alone; the rest of its batch commits', async () => {
    const results = await Promise.allSettled([
      claim('a1'),
      groupCommit(store).run(async (trx) => {
        await trx.insertInto('nonce_claims').values({ appid: 'gc', nonce: 'doomed', ts_s: 1 }).execute();
        throw new Error('business refusal after a write');
      }),
      claim('a2'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(seen('a1').n, 1);
    assert.equal(seen('a2').n, 1);
    assert.equal(seen('doomed').n, 0);
  });

  it('a database error in a lone statement fails its whole batch and keeps nothing of it', async () => {
    const results = await Promise.allSettled([
      claim('b1'),
      groupCommit(store).runStatement((db) => sql`insert into no_such_table values (1)`.execute(db)),
      claim('b2'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.equal(seen('b1').n, 0);
    assert.equal(seen('b2').n, 0);
    await claim('b3');
    assert.equal(seen('b3').n, 1, 'the committer works on after a failed batch');
  });
});
