import type { App } from '../apps/registry.js';
import type { ChannelAdapter } from './types.js';

/**
 * Which adapter serves an app's channel code. Adapters registered here serve
 * every app (the sandbox); an app's own merchant adapters come with its
 * configuration.
 */
export class ChannelRegistry {
  private readonly byCode = new Map<string, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    for (const code of adapter.channels) this.byCode.set(code, adapter);
  }

  adapterFor(app: Pick<App, 'appid'>, code: string): ChannelAdapter {
    const adapter = this.byCode.get(code);
    if (!adapter) throw new Error(`no adapter serves channel ${code} for app ${app.appid}`);
    return adapter;
  }
}
