import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/index.js';
import type { ChannelPayment } from '../types.js';
import { SandboxChannels } from './adapter.js';

/**
 * A sandbox with a hand-moved clock and a notify that records its calls,
 * for tests here and in the trades layer.
 */
export interface SandboxHarness {
  readonly sandbox: SandboxChannels;
  /** Trace numbers notify was called with, in order. */
  readonly notified: string[];
  now(): number;
  advance(ms: number): void;
  /** A payment for `channel`, unique trace number, 15 minutes to live. */
  payment(channel: string, extra?: Record<string, unknown>, amountFen?: number): ChannelPayment;
}

export const HARNESS_PUBLIC_URL = 'http://pay.sandbox.test:1301';

export function sandboxHarness(
  store: Store,
  options: { notify?: (traceNo: string) => Promise<void>; start?: number } = {},
): SandboxHarness {
  let now = options.start ?? Date.UTC(2024, 0, 2, 2, 0, 0); // 10:00 Beijing
  const notified: string[] = [];
  const sandbox = new SandboxChannels({
    store,
    publicUrl: () => `${HARNESS_PUBLIC_URL}/`,
    clock: () => now,
    notify: async (traceNo) => {
      notified.push(traceNo);
      await options.notify?.(traceNo);
    },
  });
  return {
    sandbox,
    notified,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    payment: (channel, extra = {}, amountFen = 10_000) => ({
      traceNo: `T${randomBytes(8).toString('hex')}`,
      appid: 'app1',
      channel,
      amountFen,
      subject: '预交金充值',
      termNo: 'T01',
      extra,
      expireAt: now + 15 * 60_000,
    }),
  };
}

/** Sandbox payment codes per wallet; the caller picks the outcome with the last digit. */
export function sandboxCode(wallet: 'WX' | 'ALI' | 'UP', lastDigit: number): string {
  const stem =
    wallet === 'WX' ? '13456789012345678' : wallet === 'ALI' ? '285678901234567' : '621234567890123456';
  return `${stem}${lastDigit}`;
}
