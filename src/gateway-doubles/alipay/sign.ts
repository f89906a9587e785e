import { createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * The string Alipay signs for v2 requests and notifications: every non-empty
 * parameter but those left out, sorted by name, `name=value` joined with `&`,
 * values as sent (not encoded).
 */
export function v2SignContent(fields: Readonly<Record<string, string>>, leaveOut: readonly string[]): string {
  return Object.keys(fields)
    .filter((name) => !leaveOut.includes(name) && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

export function rsa2Sign(content: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

export function rsa2Verify(content: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/**
 * A v3 Authorization header, `ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…`:
 * the auth string (everything before `,sign=`) and its fields.
 */
export function parseV3Authorization(
  header: string,
): { authString: string; fields: Record<string, string>; sign: string } | undefined {
  const m = /^ALIPAY-SHA256withRSA (.+),sign=([A-Za-z0-9+/=]+)$/.exec(header);
  if (!m?.[1] || !m[2]) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { authString: m[1], fields, sign: m[2] };
}
