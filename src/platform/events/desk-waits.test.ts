import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DESK_WAIT_LEASE_MS,
  hisWaitsAtDesk,
  replaysReachOtherProcesses,
  sawHisAtDesk,
} from './desk-waits.js';

describe('which desk orders a HIS still waits for', () => {
  it('a sighting holds for the lease and each replay renews it', () => {
    const t0 = 1_000_000;
    assert.equal(hisWaitsAtDesk('A', t0), false, 'never seen');
    sawHisAtDesk('A', t0);
    assert.equal(hisWaitsAtDesk('A', t0 + DESK_WAIT_LEASE_MS), true);
    sawHisAtDesk('A', t0 + DESK_WAIT_LEASE_MS);
    assert.equal(hisWaitsAtDesk('A', t0 + 2 * DESK_WAIT_LEASE_MS), true, 'renewed by the replay');
    assert.equal(hisWaitsAtDesk('A', t0 + 2 * DESK_WAIT_LEASE_MS + 1), false, 'the replays stopped');
    assert.equal(hisWaitsAtDesk('A', t0), false, 'a lapsed lease is forgotten');
  });

  it('a worker of several cannot tell, so it takes every desk as waited for', () => {
    replaysReachOtherProcesses();
    assert.equal(hisWaitsAtDesk('never-seen-here', 0), true);
  });
});
