import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTraceNo } from './orders.js';

test('trace numbers are well formed, unique, and increase within one second', () => {
  const now = Date.UTC(2026, 10, 26, 2, 0, 0);
  const numbers = Array.from({ length: 1_000 }, () => newTraceNo(now));
  for (const n of numbers) assert.match(n, /^20261126100000[0-9a-f]{12}$/);
  assert.equal(new Set(numbers).size, numbers.length);
  // Increasing, so a new order lands at the end of the indexes keyed by it (the rare wrap of
  // the 48-bit counter aside, which this run would show as exactly one step down).
  const downs = numbers.slice(1).filter((n, i) => n < (numbers[i] as string)).length;
  assert.ok(downs <= 1, `${downs} steps down in 1,000 trace numbers`);
});
