import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What hop.trade.setinfo sets, as the vendor's DLL keeps it between calls. */
export interface ClientSettings {
  readonly serveraddr: string;
  readonly appid: string;
  readonly appsecret: string;
  /** Cipher suite of the envelope: SM (national algorithms, default) or AES. */
  readonly suite?: 'SM' | 'AES';
}

function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['PAYCLIENT_HOME'] ?? join(homedir(), '.payclient');
}

export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(settingsDir(env), 'config.json');
}

/** Written atomically with mode 0600: it holds the appsecret. */
export function saveSettings(settings: ClientSettings, env: NodeJS.ProcessEnv = process.env): void {
  const dir = settingsDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = settingsFile(env);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

let cached: { file: string; mtimeMs: number; settings: ClientSettings } | undefined;

/** The persisted settings, or undefined before the first setinfo. Re-read when the file changes. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings | undefined {
  const file = settingsFile(env);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  if (cached && cached.file === file && cached.mtimeMs === mtimeMs) return cached.settings;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ClientSettings;
  if (
    typeof parsed.serveraddr !== 'string' ||
    typeof parsed.appid !== 'string' ||
    typeof parsed.appsecret !== 'string'
  ) {
    throw new Error(`${file} is not a payclient settings file`);
  }
  cached = { file, mtimeMs, settings: parsed };
  return parsed;
}
