import { text } from './text.js';

/**
 * Whether a request pops the cashier desk: the spec's deskflak, in extra,
 * `0` pops it and `1` does not; absent means `0`, for a recharge and a refund alike.
 */
export function popsDesk(extra: Readonly<Record<string, unknown>>): boolean {
  return (text(extra['deskflak']) || '0') === '0';
}
