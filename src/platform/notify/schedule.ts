/**
 * Delivery retries: 16 attempts, the gap doubling from 15 s and capped at
 * 4 h, so the last attempt comes about 24 h 16 min after the first (WeChat
 * Pay gives up after 15 notifications over 24 h; Jeepay after 6 in 150 s).
 * A receiver down for a day still gets every message.
 */
export const MAX_ATTEMPTS = 16;
const FIRST_GAP_MS = 15_000;
const GAP_CAP_MS = 4 * 3600_000;
/** Jitter only lengthens a gap, so the schedule never spans less than it promises. */
const JITTER = 0.1;

/** The gap after `attempts` failed attempts (1-based), before jitter. */
function baseGapMs(attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(FIRST_GAP_MS * 2 ** exponent, GAP_CAP_MS);
}

export function nextGapMs(attempts: number, random: () => number = Math.random): number {
  return Math.round(baseGapMs(attempts) * (1 + JITTER * random()));
}

/** Time from the first attempt to the last, before jitter. */
export function scheduleSpanMs(): number {
  let total = 0;
  for (let a = 1; a < MAX_ATTEMPTS; a++) total += baseGapMs(a);
  return total;
}
