import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { TEST_DATABASES } from '../../testing/databases.js';
import { groupCommit } from '../store/group-commit.js';
import { openStore, type Store } from '../store/index.js';
import { migrateUpTo } from '../store/migrate.js';
import { claimNonce, purgeNonces } from './nonces.js';

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no sqlite test database');

const nonce = () => randomBytes(16).toString('hex');
const APP = 'APP1';

/** Claims, then commits the lazy rows, as a restart after a clean shutdown would find them. */
async function claimAndFlush(store: Store, n: string, tsS: number): Promise<boolean> {
  const claimed = await claimNonce(store, APP, n, tsS);
  await groupCommit(store).flush();
  return claimed;
}

describe('nonce claims on SQLite: decided in memory, the table read back at start', () => {
  it('a nonce claimed once is refused again, at once and after its row is written', async () => {
    const store = await sqlite.open();
    try {
      const n = nonce();
      const ts = 1_800_000_000;
      const [a, b] = await Promise.all([claimNonce(store, APP, n, ts), claimNonce(store, APP, n, ts)]);
      assert.deepEqual([a, b].sort(), [false, true], 'two concurrent claims of one nonce: exactly one wins');
      await groupCommit(store).flush();
      assert.equal(await claimNonce(store, APP, n, ts), false);
      // Same nonce, other second or other app: another envelope, not a replay.
      assert.equal(await claimNonce(store, APP, n, ts + 1), true);
      assert.equal(await claimNonce(store, 'APP2', n, ts), true);
    } finally {
      await store.close();
    }
  });

  it("an earlier run's claims still refuse their replays after a restart", async () => {
    const first = await sqlite.open();
    const path = first.where;
    const ts = 1_800_000_000;
    const old = [nonce(), nonce()];
    for (const n of old) assert.equal(await claimAndFlush(first, n, ts - 5), true);
    assert.equal(await claimAndFlush(first, nonce(), ts), true);
    await first.close();

    const second = await openStore(path);
    try {
      for (const n of old)
        assert.equal(await claimNonce(second, APP, n, ts - 5), false, 'replayed after restart');
      assert.equal(await claimNonce(second, APP, nonce(), ts - 5), true, 'a fresh nonce of the same second');
      const fresh = nonce();
      assert.equal(await claimNonce(second, APP, fresh, ts + 10), true);
      assert.equal(await claimNonce(second, APP, fresh, ts + 10), false);
    } finally {
      await second.close();
    }
  });

  it('purging drops claims the timestamp check rejects, in memory and in the table', async () => {
    const store = await sqlite.open();
    try {
      const window = 300;
      const now = 1_800_000_000;
      const old = nonce();
      const recent = nonce();
      await claimAndFlush(store, old, now - 2 * window - 1);
      await claimAndFlush(store, recent, now - window);
      assert.equal(await purgeNonces(store, now, window), 1);
      // The recent one still refuses; the old one's ts is long outside what the envelope check admits.
      assert.equal(await claimNonce(store, APP, recent, now - window), false);
      assert.equal(
        await claimNonce(store, APP, old, now - 2 * window - 1),
        true,
        'memory kept a purged claim',
      );
    } finally {
      await store.close();
    }
  });

  it('claims written before the log (migration 0004) still refuse their replays after the upgrade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onepay-upgrade-'));
    const path = join(dir, 'old.db');
    const old = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(path) }),
    });
    await migrateUpTo(old, 'sqlite', '0004-nonces-by-time');
    const kept = nonce();
    await sql`insert into nonce_claims (ts_s, appid, nonce) values (${1_800_000_000}, ${APP}, ${kept})`.execute(
      old,
    );
    await old.destroy();

    const upgraded = await openStore(`sqlite:${path}`);
    try {
      assert.equal(
        await claimNonce(upgraded, APP, kept, 1_800_000_000),
        false,
        'replayed across the upgrade',
      );
      assert.equal(await claimNonce(upgraded, APP, nonce(), 1_800_000_000), true);
    } finally {
      await upgraded.close();
    }
  });
});
