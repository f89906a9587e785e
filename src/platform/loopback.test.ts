import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopback } from './loopback.js';

describe('what counts as this machine', () => {
  it('loopback names and address literals, and nothing that merely starts like one', () => {
    for (const yes of [
      'localhost',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      'LOCALHOST',
    ]) {
      assert.equal(isLoopback(yes), true, yes);
    }
    for (const no of [
      '127.0.0.1.attacker.example',
      '127.x.example',
      '10.0.0.1',
      '0.0.0.0',
      '',
      'localhost.example',
    ]) {
      assert.equal(isLoopback(no), false, no);
    }
  });
});
