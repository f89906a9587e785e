import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { openStore, type Store } from '../index.js';
import { type Claim, claimOnPostgres } from './nonce-claims.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no postgres in TEST_DATABASES');

const claims = (count: number, ts = 1_800_000_000): Claim[] =>
  Array.from({ length: count }, (_, i) => ({
    ts,
    appid: `APP${i % 3}`,
    nonce: randomBytes(16).toString('hex'),
  }));

const wins = (results: boolean[]) => results.filter(Boolean).length;

describe('nonce claims batched on PostgreSQL', async () => {
  const availability = await databaseAvailability(postgres);
  // Two stores on one schema: two platform processes sharing the database.
  let one: Store;
  let two: Store;
  let drop: () => Promise<void>;
  before(async () => {
    if (availability.skip) return;
    const shared = await postgres.shared();
    drop = shared.dropSchema;
    const options = { pgSchema: shared.pgSchema ?? '', pgPoolMax: 4 };
    one = await openStore(shared.url, options);
    two = await openStore(shared.url, options);
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await drop?.();
  });

  it('each claim wins once, also when sent twice in one batch', availability, async () => {
    const batcher = { claim: (c: Claim) => claimOnPostgres(one, c) };
    const set = claims(100);
    // Every claim twice, in the same turn: one batch holding each key two times.
    const results = await Promise.all([...set, ...set].map((c) => batcher.claim(c)));
    assert.equal(wins(results), 100);
    for (let i = 0; i < 100; i++)
      assert.notEqual(results[i], results[i + 100], `claim ${i} won twice or never`);
    // The same again later: all lost; the same nonce in another second is another envelope.
    assert.equal(wins(await Promise.all(set.map((c) => batcher.claim(c)))), 0);
    assert.equal(wins(await Promise.all(set.map((c) => batcher.claim({ ...c, ts: c.ts + 1 })))), 100);
  });

  it('two processes claiming the same nonces at once: exactly one wins each', availability, async () => {
    const a = { claim: (c: Claim) => claimOnPostgres(one, c) };
    const b = { claim: (c: Claim) => claimOnPostgres(two, c) };
    const set = claims(300);
    const [fromA, fromB] = await Promise.all([
      Promise.all(set.map((c) => a.claim(c))),
      Promise.all(set.map((c) => b.claim(c))),
    ]);
    for (let i = 0; i < set.length; i++)
      assert.ok(fromA[i] !== fromB[i], `claim ${i}: ${fromA[i]} and ${fromB[i]}`);
  });

  it('more claims in one turn than one statement takes are all decided', availability, async () => {
    const batcher = { claim: (c: Claim) => claimOnPostgres(one, c) };
    const set = claims(2_500);
    assert.equal(wins(await Promise.all(set.map((c) => batcher.claim(c)))), 2_500);
    assert.equal(wins(await Promise.all(set.map((c) => batcher.claim(c)))), 0);
  });
});
