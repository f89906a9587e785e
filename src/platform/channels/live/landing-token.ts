import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The one-QR landing's token: `<traceNo>.<mac>`, so the QR code of a live
 * ONE_QR order names its order without any stored state, and nobody can make
 * a landing for an order they were not shown (the mac is keyed with a key
 * derived from the master key). Trace numbers are letters and digits, the
 * mac base64url: the dot tells a landing token from a sandbox wallet's.
 */
const MAC_CHARS = 22;
const TOKEN = /^([0-9A-Za-z_-]{1,64})\.([0-9A-Za-z_-]{22})$/;

/** The landing tokens' key, derived from the master key for this one use. */
export function landingKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'onepay one-qr landing token', 32));
}

function mac(key: Buffer, traceNo: string): string {
  return createHmac('sha256', key).update(traceNo, 'utf8').digest('base64url').slice(0, MAC_CHARS);
}

export function landingToken(key: Buffer, traceNo: string): string {
  return `${traceNo}.${mac(key, traceNo)}`;
}

/** Whether a /q/ token has the landing's shape (a sandbox wallet token has no dot). */
export function isLandingToken(token: string): boolean {
  return TOKEN.test(token);
}

/** The order a genuine token names; undefined for a forged or malformed one. */
export function traceNoOfLandingToken(key: Buffer, token: string): string | undefined {
  const m = TOKEN.exec(token);
  if (!m?.[1] || !m[2]) return undefined;
  const want = Buffer.from(mac(key, m[1]));
  const got = Buffer.from(m[2]);
  return want.length === got.length && timingSafeEqual(want, got) ? m[1] : undefined;
}
