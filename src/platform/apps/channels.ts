import { CHANNEL } from '../../protocol/dictionaries.js';

/** The channel codes an app may take, checked against the spec's dictionary; at least one. */
export function checkChannels(channels: readonly string[]): string[] {
  const unique = [...new Set(channels)];
  const unknown = unique.filter((c) => !Object.hasOwn(CHANNEL, c));
  if (unknown.length > 0) throw new Error(`unknown channels: ${unknown.join(', ')}`);
  if (unique.length === 0) throw new Error('an app takes at least one channel');
  return unique;
}
