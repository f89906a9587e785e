import type { AppRegistry } from '../platform/apps/registry.js';
import { APP_SETTINGS, applyAppSettings } from '../platform/apps/settings.js';

export const APP_ADMIN_USAGE = `  onepay app disable|enable <appid> [--db …]        (a disabled app's calls answer 010004)
  onepay app rotate-secret <appid> [--grace 24h] [--db …]   (new secret shown once; the old one works for the grace)
  onepay app set <appid> name=value … [--db …]      (orderTtlMinutes=15, strictParams=true|false, allowInsecureHttp=true|false)`;

/** `24h`, `30m`, `7d` or seconds: how long a rotated secret keeps working. */
function parseGraceMs(text: string): number {
  const m = /^(\d{1,6})([smhd]?)$/.exec(text);
  if (!m) throw new Error(`--grace ${text}: a number of s, m, h or d (e.g. 24h)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unit * 1000;
  if (ms > 30 * 86_400_000) throw new Error('--grace: at most 30 days');
  return ms;
}

/** disable, enable, rotate-secret and set: the app commands that change an app after it was made. */
export async function runAppAdmin(
  apps: AppRegistry,
  verb: string,
  appid: string,
  args: readonly string[],
  options: { grace?: string; now: number },
  out: (line: string) => void = console.log,
): Promise<number> {
  const app = await apps.find(appid);
  if (!app) throw new Error(`no app ${appid}`);
  if (verb === 'disable' || verb === 'enable') {
    await apps.update(appid, { disabled: verb === 'disable' });
    out(`${appid} ${verb}d`);
    return 0;
  }
  if (verb === 'rotate-secret') {
    const graceMs = parseGraceMs(options.grace ?? '24h');
    const secret = await apps.rotateSecret(appid, graceMs, options.now);
    // Shown once; only its sealed form is kept.
    out(
      JSON.stringify(
        { appid, appsecret: secret, previousSecretValidUntil: new Date(options.now + graceMs).toISOString() },
        null,
        2,
      ),
    );
    return 0;
  }
  if (verb === 'set') {
    const settings: Record<string, string> = {};
    for (const pair of args) {
      const eq = pair.indexOf('=');
      const name = eq > 0 ? pair.slice(0, eq) : pair;
      if (eq <= 0 || !Object.hasOwn(APP_SETTINGS, name))
        throw new Error(`app set takes name=value with ${Object.keys(APP_SETTINGS).join(', ')}; not ${pair}`);
      settings[name] = pair.slice(eq + 1);
    }
    await apps.configure(appid, applyAppSettings(app.config, settings));
    out(`${appid}: ${args.join(' ')}`);
    return 0;
  }
  throw new Error(`unknown: app ${verb}`);
}
