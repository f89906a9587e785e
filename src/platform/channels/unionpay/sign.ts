import { createHash, createSign, createVerify, type KeyObject, X509Certificate } from 'node:crypto';

/** A message of UnionPay's 全渠道 (acp) protocol: flat key=value fields. */
export type AcpFields = Record<string, string>;

/**
 * The string acp 5.1.0 signs: every field but `signature`, sorted by name,
 * `k=v` joined with `&` (empty values included, as the gateway does).
 */
export function signingString(fields: Readonly<AcpFields>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

/** signMethod 01: RSA-SHA256 over the lower-case hex SHA-256 of the signing string, base64. */
export function acpSign(fields: Readonly<AcpFields>, key: KeyObject): string {
  const digest = createHash('sha256').update(signingString(fields), 'utf8').digest('hex');
  return createSign('RSA-SHA256').update(digest, 'utf8').sign(key, 'base64');
}

export function acpVerify(fields: Readonly<AcpFields>, key: KeyObject): boolean {
  const signature = fields['signature'];
  if (!signature) return false;
  const digest = createHash('sha256').update(signingString(fields), 'utf8').digest('hex');
  try {
    return createVerify('RSA-SHA256').update(digest, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/**
 * An acp answer body: `k=v&k=v`, values not URL-encoded; a value in braces
 * ({…}) may itself hold `&` and `=`, so `&` splits only outside braces.
 */
export function parseAcpAnswer(body: string): AcpFields {
  const fields: AcpFields = {};
  let depth = 0;
  let start = 0;
  const take = (end: number) => {
    const pair = body.slice(start, end);
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '&' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(body.length);
  return fields;
}

/** A notification body: a URL-encoded form (application/x-www-form-urlencoded). */
export function parseAcpForm(body: string): AcpFields {
  return Object.fromEntries(new URLSearchParams(body));
}

/** UnionPay names its production signing certificate so; the double's says the same. */
const UNIONPAY_ORG = '中国银联股份有限公司';

/**
 * The signing certificate an answer carries (signPubKeyCert), accepted only
 * when it is valid now, issued by the configured intermediate certificate,
 * which is issued by the configured root, and names UnionPay: otherwise
 * anyone could sign an answer with a certificate of their own.
 */
export function trustedSigningKey(
  pem: string | undefined,
  chain: { readonly middle: X509Certificate; readonly root: X509Certificate },
  now: number,
): KeyObject | undefined {
  if (!pem) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return undefined;
  }
  const valid = Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
  const issued =
    cert.checkIssued(chain.middle) &&
    cert.verify(chain.middle.publicKey) &&
    chain.middle.checkIssued(chain.root) &&
    chain.middle.verify(chain.root.publicKey);
  const named = cert.subject.includes(UNIONPAY_ORG);
  return valid && issued && named ? cert.publicKey : undefined;
}
