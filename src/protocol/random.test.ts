import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshBytes } from './random.js';

test('freshBytes never hands out the same bytes twice, and views survive pool refills', () => {
  const given: { view: Buffer; hex: string }[] = [];
  // 28-byte draws (nonce + AES iv) over several 4 KB pools.
  for (let i = 0; i < 2_000; i++) {
    const view = freshBytes(28);
    assert.equal(view.length, 28);
    given.push({ view, hex: view.toString('hex') });
  }
  // A repeat would mean reuse (chance: 2^-224).
  assert.equal(new Set(given.map((g) => g.hex)).size, given.length);
  // A pool refilled in place would have changed what earlier callers hold.
  given.forEach((g, i) => {
    assert.equal(g.view.toString('hex'), g.hex, `draw ${i} changed after it was handed out`);
  });
});

test('freshBytes serves sizes above the pool straight from the CSPRNG', () => {
  assert.equal(freshBytes(10_000).length, 10_000);
  assert.equal(freshBytes(0).length, 0);
});
