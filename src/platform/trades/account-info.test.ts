import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountStatus } from './holders/his-account.js';

describe('account status from an external HIS', () => {
  it('is one of the spec’s 01–04, a single digit read as its two-digit code, anything else not guessed', () => {
    assert.equal(accountStatus('01'), '01');
    assert.equal(accountStatus('4'), '04');
    for (const odd of ['0', '00', '05', '9', '', 'normal']) assert.equal(accountStatus(odd), undefined, odd);
  });
});
