import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshBytes } from '../../protocol/random.js';

/**
 * The key that seals app secrets at rest. From ONEPAY_MASTER_KEY (64 hex) when
 * set — what several platform processes on PostgreSQL must share — else from
 * `<dataDir>/master.key`, created with mode 0600 on first start.
 */
export function loadMasterKey(options: { env?: NodeJS.ProcessEnv; dataDir: string }): Buffer {
  const fromEnv = (options.env ?? process.env)['ONEPAY_MASTER_KEY'];
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new Error('ONEPAY_MASTER_KEY must be 64 hex characters');
    return Buffer.from(fromEnv, 'hex');
  }
  const file = join(options.dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // 'wx' so two processes starting together cannot both write a different key.
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error(`${file} is not a 64-hex master key`);
  return Buffer.from(text, 'hex');
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>" in base64url. */
export function sealSecret(masterKey: Buffer | KeyObject, secret: string, appid: string): string {
  // From the CSPRNG pool: a randomBytes() call of its own was a third of a seal's CPU, and a patient's
  // numbers are sealed on every recharge (privacy/patient-data.ts). Pool bytes are never handed out twice.
  const iv = freshBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(appid)); // a sealed secret cannot be moved to another app's row
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

export function openSecret(masterKey: Buffer | KeyObject, sealed: string, appid: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('sealed secret has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(appid));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
