import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnWrites } from './turn-writes.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('replies gathered per turn of the event loop', () => {
  it('holds the writes of a turn until its end, then makes them all, in order', async () => {
    const made: string[] = [];
    const writes = new TurnWrites((error) => assert.fail(String(error)));
    writes.add(() => made.push('a'));
    await Promise.resolve();
    writes.add(() => made.push('b'));
    assert.equal(made.length, 0, 'nothing written inside the turn');
    await nextTurn();
    assert.equal(made.join(), 'a,b');
    writes.add(() => made.push('c'));
    await nextTurn();
    assert.equal(made.join(), 'a,b,c', 'a later turn has its own flush');
  });

  it('a write that throws is reported and the others are still made', async () => {
    const made: string[] = [];
    const reported: unknown[] = [];
    const writes = new TurnWrites((error) => reported.push(error));
    writes.add(() => made.push('a'));
    writes.add(() => {
      throw new Error('client gone');
    });
    writes.add(() => made.push('c'));
    await nextTurn();
    assert.deepEqual(made, ['a', 'c']);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /client gone/);
  });
});
