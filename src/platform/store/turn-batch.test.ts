import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnBatch } from './turn-batch.js';

test('the calls of one turn run together, each answered with its own output', async () => {
  const runs: number[][] = [];
  const batch = new TurnBatch<number, number>(async (inputs) => {
    runs.push([...inputs]);
    return inputs.map((n) => n * 10);
  });
  const first = await Promise.all([1, 2, 3].map((n) => batch.submit(n)));
  const second = await Promise.all([4, 5].map((n) => batch.submit(n)));
  assert.deepEqual(first, [10, 20, 30]);
  assert.deepEqual(second, [40, 50]);
  assert.deepEqual(runs, [
    [1, 2, 3],
    [4, 5],
  ]);
});

test('a turn larger than one run is split, and every call is answered', async () => {
  const sizes: number[] = [];
  const batch = new TurnBatch<number, number>(async (inputs) => {
    sizes.push(inputs.length);
    return inputs.map((n) => -n);
  });
  const outputs = await Promise.all(Array.from({ length: 2_500 }, (_, n) => batch.submit(n)));
  assert.deepEqual(sizes, [1_000, 1_000, 500]);
  assert.deepEqual(
    outputs,
    Array.from({ length: 2_500 }, (_, n) => -n),
  );
});

test('a failed run fails every call in it, and the next turn runs afresh', async () => {
  let fail = true;
  const batch = new TurnBatch<number, number>(async (inputs) => {
    if (fail) throw new Error('database gone');
    return inputs;
  });
  const failed = await Promise.allSettled([1, 2].map((n) => batch.submit(n)));
  assert.deepEqual(
    failed.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  fail = false;
  assert.deepEqual(await Promise.all([3, 4].map((n) => batch.submit(n))), [3, 4]);
});

test('a run that answers the wrong number of outputs fails its calls rather than misanswer them', async () => {
  const batch = new TurnBatch<number, number>(async (inputs) => inputs.slice(1));
  const settled = await Promise.allSettled([1, 2, 3].map((n) => batch.submit(n)));
  assert.ok(settled.every((r) => r.status === 'rejected'));
});

test('a turn of one call takes the single-input statement when there is one; a failure there fails only it', async () => {
  const many: number[][] = [];
  const alone: number[] = [];
  const batch = new TurnBatch<number, number>(
    async (inputs) => {
      many.push([...inputs]);
      return inputs.map((n) => n * 10);
    },
    async (n) => {
      alone.push(n);
      if (n < 0) throw new Error('refused');
      return n * 10;
    },
  );
  assert.equal(await batch.submit(7), 70);
  assert.deepEqual(await Promise.all([1, 2].map((n) => batch.submit(n))), [10, 20]);
  await assert.rejects(batch.submit(-1), /refused/);
  assert.deepEqual(alone, [7, -1]);
  assert.deepEqual(many, [[1, 2]]);
});
