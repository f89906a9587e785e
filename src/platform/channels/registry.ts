import { isChannel, kindOf } from '../../protocol/channels.js';
import { type Answer, fail, type RespCode, SpecError } from '../../protocol/codes.js';
import { CHANNEL } from '../../protocol/dictionaries.js';
import type { App } from '../apps/registry.js';
import type { ChannelAdapter } from './types.js';

/**
 * Finds an app's adapters for its own channels (the hospital's merchant keys);
 * undefined when the app has none configured for that code.
 */
type LiveAdapterSource = (app: App, code: string) => Promise<ChannelAdapter | undefined>;

/**
 * Which adapter serves an app's channel code, by the app's mode:
 * - a sandbox app: the sandbox, for every code;
 * - a live app: the adapter configured for that app (its merchant keys), and
 *   for cash and POS the desk's record (the operator counted the money or
 *   read the slip). Nothing else: a live app never reaches simulated money.
 */
export class ChannelRegistry {
  private sandbox: ChannelAdapter | undefined;
  private record: ChannelAdapter | undefined;
  private readonly liveSources: LiveAdapterSource[] = [];

  /** The simulated channels, for sandbox apps. */
  useSandbox(adapter: ChannelAdapter): void {
    this.sandbox = adapter;
  }

  /** What records cash and POS payments at the desk, for live apps. */
  useDeskRecord(adapter: ChannelAdapter): void {
    this.record = adapter;
  }

  /** Where live apps' own adapters come from (real channels, configured per app). */
  addLiveSource(source: LiveAdapterSource): void {
    this.liveSources.push(source);
  }

  /** The adapter for an app's channel, or undefined when none may serve it. */
  private async find(app: App, code: string): Promise<ChannelAdapter | undefined> {
    if (app.mode === 'sandbox') return this.sandbox;
    const kind = kindOf(code);
    if (kind === 'cash' || kind === 'pos') return this.record;
    for (const source of this.liveSources) {
      const adapter = await source(app, code);
      if (adapter) return adapter;
    }
    return undefined;
  }

  /** Why the app cannot take this channel now (032001 not opened, 020007 no merchant configured); undefined when it can. */
  async refusal(app: App, code: string): Promise<Answer | undefined> {
    const why = await this.whyNot(app, code);
    return why && fail(why.code, why.detail);
  }

  private async whyNot(app: App, code: string): Promise<{ code: RespCode; detail: string } | undefined> {
    if (!app.channels.has(code)) return { code: '032001', detail: `${app.name} 未开通 ${code}` };
    if (await this.find(app, code)) return undefined;
    const name = isChannel(code) ? CHANNEL[code] : code;
    return { code: '020007', detail: `${name} 尚未为本院配置商户, 暂不能使用` };
  }

  /** The channels an app can take now, in the order given. */
  async usable(app: App, codes: Iterable<string> = app.channels): Promise<string[]> {
    const list = [...codes];
    const refusals = await Promise.all(list.map((code) => this.whyNot(app, code)));
    return list.filter((_, i) => refusals[i] === undefined);
  }

  async adapterFor(app: App, code: string): Promise<ChannelAdapter> {
    const adapter = await this.find(app, code);
    if (!adapter) {
      const why = (await this.whyNot(app, code)) ?? { code: '020007', detail: code };
      throw new SpecError(why.code, why.detail);
    }
    return adapter;
  }
}
