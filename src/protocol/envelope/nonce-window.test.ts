import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonceWindow } from './nonce-window.js';

const T = 1_700_000_000;

test('a nonce is accepted once per app within the window', () => {
  const w = new NonceWindow();
  assert.equal(w.claim('a', 'n1', T, T), 'fresh');
  assert.equal(w.claim('a', 'n1', T, T + 10), 'replay');
  assert.equal(w.claim('b', 'n1', T, T + 10), 'fresh');
  assert.equal(w.claim('a', 'n1', T, T + 300), 'replay');
  // Past ts + window the timestamp itself is stale: the replay is refused all the same.
  assert.equal(w.claim('a', 'n1', T, T + 301), 'stale');
  assert.equal(w.claim('a', 'n2', T + 400, T), 'stale');
});

test('memory is bounded: expired entries go, live ones are never dropped', () => {
  const w = new NonceWindow({ windowSeconds: 10, maxEntries: 3 });
  assert.equal(w.claim('a', '1', T, T), 'fresh');
  assert.equal(w.claim('a', '2', T, T), 'fresh');
  assert.equal(w.claim('a', '3', T, T), 'fresh');
  // Full with live entries: refuse rather than forget one that could be replayed.
  assert.equal(w.claim('a', '4', T, T + 1), 'full');
  assert.equal(w.claim('a', '1', T, T + 1), 'replay');
  // Once the first three expire they make room.
  assert.equal(w.claim('a', '4', T + 11, T + 11), 'fresh');
  assert.ok(w.size <= 3);
});

test('expiry follows ts, not arrival order', () => {
  const w = new NonceWindow({ windowSeconds: 10, maxEntries: 2 });
  assert.equal(w.claim('a', 'late', T + 9, T), 'fresh'); // lives until T + 19
  assert.equal(w.claim('a', 'early', T - 9, T), 'fresh'); // lives until T + 1
  assert.equal(w.claim('a', 'next', T + 2, T + 2), 'fresh'); // full sweep drops 'early' only
  assert.equal(w.claim('a', 'late', T + 9, T + 2), 'replay');
});

test('options are checked', () => {
  assert.throws(() => new NonceWindow({ maxEntries: 0 }), TypeError);
  assert.throws(() => new NonceWindow({ windowSeconds: -1 }), TypeError);
});
