import type { App } from '../apps/registry.js';
import { ChannelRegistry } from '../channels/registry.js';
import type { ChannelAdapter } from '../channels/types.js';
import type { DepositProvider } from '../his/types.js';
import { instruments, secondsSince } from './instruments.js';
import type { Buckets } from './lean.js';

/** `fn` with its wall time, success or failure, counted in `stage`. */
function timing<A extends unknown[], R>(
  stage: Buckets,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      stage.observe(secondsSince(started));
    }
  };
}

/** An external HIS whose every call is counted in the `his` stage. */
export function timedProvider(provider: DepositProvider): DepositProvider {
  const his = instruments.stage.his;
  return {
    kind: provider.kind,
    accountInfo: timing(his, provider.accountInfo.bind(provider)),
    credit: timing(his, provider.credit.bind(provider)),
    refund: timing(his, provider.refund.bind(provider)),
    preRefund: timing(his, provider.preRefund.bind(provider)),
    confirmRefund: timing(his, provider.confirmRefund.bind(provider)),
    status: timing(his, provider.status.bind(provider)),
  };
}

const CHANNEL_CALLS = ['pay', 'query', 'close', 'cancel', 'refund', 'refundQuery'] as const;

/**
 * A channel adapter whose calls to the channel are counted in the `channel`
 * stage (a notice is not a call). A proxy, so whatever else the adapter
 * offers (the sandbox's controls) is still there.
 */
function timedAdapter(adapter: ChannelAdapter): ChannelAdapter {
  const channel = instruments.stage.channel;
  const calls = new Map<PropertyKey, unknown>(
    CHANNEL_CALLS.map((name) => {
      const call = adapter[name] as (...args: unknown[]) => Promise<unknown>;
      return [name, timing(channel, call.bind(adapter))];
    }),
  );
  return new Proxy(adapter, {
    get(target, property, receiver) {
      return calls.get(property) ?? Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The channel registry whose adapters are timed: each adapter is wrapped once
 * (kept beside it), so a call costs the wrapper's closure and nothing more.
 */
export class TimedChannelRegistry extends ChannelRegistry {
  private readonly timed = new WeakMap<ChannelAdapter, ChannelAdapter>();

  override async adapterFor(app: App, code: string): Promise<ChannelAdapter> {
    const adapter = await super.adapterFor(app, code);
    let wrapped = this.timed.get(adapter);
    if (!wrapped) {
      wrapped = timedAdapter(adapter);
      this.timed.set(adapter, wrapped);
    }
    return wrapped;
  }
}
