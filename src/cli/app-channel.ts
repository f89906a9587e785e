import { readFileSync } from 'node:fs';
import { setGatewayCredentials } from '../platform/apps/gateway-settings.js';
import { loadMasterKey } from '../platform/apps/master-key.js';
import { AppRegistry } from '../platform/apps/registry.js';
import { SecretBox } from '../platform/apps/secret-box.js';
import { GATEWAYS, GatewayCredentials, isGateway } from '../platform/channels/live/index.js';
import type { Store } from '../platform/store/index.js';

export const APP_CHANNEL_USAGE = `  onepay app channel set <appid> <${GATEWAYS.join('|')}> name=value … [--db …]
                    (a value @path is read from that file: keys and certificates; a binary file such as a .pfx is passed on in base64)
  onepay app channel list <appid> [--db …]
  onepay app channel remove <appid> <gateway> [--db …]`;

/** A file's text (PEM keys, certificates), or a binary file's bytes in base64 (a PKCS#12 .pfx). */
function readValueFile(path: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim();
  } catch {
    return bytes.toString('base64');
  }
}

/** name=value pairs; `@path` reads the value from a file (PEM keys, certificates, a .pfx). */
function readSettings(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`expected name=value, got "${pair}"`);
    const value = pair.slice(eq + 1);
    out[pair.slice(0, eq)] = value.startsWith('@') ? readValueFile(value.slice(1)) : value;
  }
  return out;
}

/**
 * A live app's merchant credentials per gateway. Checked by the gateway's
 * driver when set (a malformed key is refused now, not at the first payment),
 * sealed at rest; `list` shows which gateways are configured, never a secret.
 */
export async function runAppChannelCli(
  store: Store,
  dataDir: string,
  args: readonly string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const [verb, appid, gateway, ...pairs] = args;
  const masterKey = loadMasterKey({ dataDir });
  const registry = new AppRegistry(store, masterKey);
  const credentials = new GatewayCredentials(store, new SecretBox(masterKey));
  const app = appid ? await registry.find(appid) : undefined;
  if (!app) throw new Error(`no app ${appid ?? ''}`);
  if (verb === 'list') {
    const configured = await credentials.list(app.appid);
    out(`${app.appid}\t${app.mode}\t${configured.map((c) => c.gateway).join(',') || '(none)'}`);
    return 0;
  }
  if (!isGateway(gateway)) throw new Error(`gateway must be one of ${GATEWAYS.join(', ')}`);
  if (verb === 'remove') {
    out(
      (await credentials.remove(app.appid, gateway)) ? `removed ${gateway}` : `${gateway} was not configured`,
    );
    return 0;
  }
  if (verb !== 'set') throw new Error(`unknown: app channel ${verb ?? ''}`);
  const settings = readSettings(pairs);
  await setGatewayCredentials(credentials, app, gateway, settings);
  out(`${app.appid}: ${gateway} configured (${Object.keys(settings).join(', ')})`);
  return 0;
}
