import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { POLL_MS, QUIET_REREADS_PER_S, quietRereadMs } from './sse.js';

describe('live streams re-read the database within a budget', () => {
  it('up to the budget every quiet stream re-reads every second, as with the old cap of 500', () => {
    assert.equal(quietRereadMs(1), POLL_MS);
    assert.equal(quietRereadMs(QUIET_REREADS_PER_S), POLL_MS);
  });

  it('past it the re-reads a second of all streams together stay within the budget', () => {
    for (const streams of [QUIET_REREADS_PER_S + 1, 2_000, 4_000, 9_999]) {
      const perSecond = (streams * 1000) / quietRereadMs(streams);
      assert.ok(perSecond <= QUIET_REREADS_PER_S, `${streams} streams: ${perSecond} re-reads a second`);
      assert.ok(perSecond > QUIET_REREADS_PER_S * 0.99, `${streams} streams use the budget, not less`);
    }
    // 2,000 desks and 2,000 screens: each re-reads every 8 s.
    assert.equal(quietRereadMs(4_000), 8_000);
  });
});
