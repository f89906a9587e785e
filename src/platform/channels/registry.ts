import type { ChannelAdapter } from './types.js';

/** Which adapter serves which channel code; the sandbox serves all of them by default. */
export class ChannelRegistry {
  private readonly byCode = new Map<string, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    for (const code of adapter.channels) this.byCode.set(code, adapter);
  }

  adapterFor(code: string): ChannelAdapter {
    const adapter = this.byCode.get(code);
    if (!adapter) throw new Error(`no adapter serves channel ${code}`);
    return adapter;
  }
}
