import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { isLoopback } from '../../loopback.js';

/** A hospital's Alipay open-platform application, as `app channel set <appid> alipay …` gives it. */
export interface AlipayConfig {
  /** The application's id on the Alipay open platform (16 digits). */
  readonly appId: string;
  /** The merchant's partner id (PID, 2088…): notifications must name it as the seller. */
  readonly sellerId: string;
  /** The application's private key, PKCS#8 PEM: signs every request. */
  readonly privateKeyPem: string;
  /** Alipay's public key (SPKI PEM): every answer and notification is verified with it. */
  readonly alipayPublicKeyPem: string;
  readonly alipayPublicKey: KeyObject;
  /** The open-platform host: v3 calls go to `<url>v3/…`, v2 order strings to `<url>gateway.do`. */
  readonly gatewayUrl: string;
  readonly timeoutMs: number;
}

export const ALIPAY_GATEWAY_URL = 'https://openapi.alipay.com/';
export const ALIPAY_SECRET_FIELDS = ['privateKey'] as const;

function required(input: Readonly<Record<string, string>>, name: string): string {
  const value = input[name]?.trim();
  if (!value) throw new Error(`${name}: missing`);
  return value;
}

/**
 * The open platform's key tool writes bare base64 (no PEM armour); a PEM file
 * is taken as it is. `type` names the armour a bare key gets.
 */
function armoured(text: string, type: 'PRIVATE KEY' | 'RSA PRIVATE KEY' | 'PUBLIC KEY'): string {
  if (text.includes('-----BEGIN')) return text;
  const body = text.replace(/\s+/g, '');
  return `-----BEGIN ${type}-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${type}-----\n`;
}

function loadPrivateKey(text: string): KeyObject {
  const attempts = text.includes('-----BEGIN')
    ? [text]
    : [armoured(text, 'PRIVATE KEY'), armoured(text, 'RSA PRIVATE KEY')];
  let why = '';
  for (const pem of attempts) {
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('RSA2 needs 2048 bits');
      return key;
    } catch (error) {
      why = (error as Error).message;
    }
  }
  throw new Error(`privateKey: not the application's RSA private key (PEM or base64) (${why})`);
}

function loadPublicKey(text: string): KeyObject {
  try {
    const key = createPublicKey(armoured(text, 'PUBLIC KEY'));
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch (error) {
    throw new Error(
      `alipayPublicKey: not Alipay's RSA public key (PEM or base64) (${(error as Error).message})`,
    );
  }
}

function gatewayUrl(value: string | undefined): string {
  const raw = value?.trim() || ALIPAY_GATEWAY_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`gatewayUrl: not a URL: ${raw}`);
  }
  // Plain HTTP only to this machine (a gateway double); the real gateway is HTTPS.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new Error('gatewayUrl: must be https (plain http only to a loopback gateway double)');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Reads and checks the credentials; a malformed one throws, naming the field. */
export function parseAlipayConfig(input: Readonly<Record<string, string>>): AlipayConfig {
  const appId = required(input, 'appId');
  if (!/^\d{16}$/.test(appId)) throw new Error('appId: an Alipay application id is 16 digits');
  const sellerId = required(input, 'sellerId');
  if (!/^2088\d{12}$/.test(sellerId)) throw new Error('sellerId: the partner id (PID) is 2088 and 12 digits');
  const privateKey = loadPrivateKey(required(input, 'privateKey'));
  const alipayPublicKey = loadPublicKey(required(input, 'alipayPublicKey'));
  const ownPublic = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (ownPublic.equals(alipayPublicKey.export({ type: 'spki', format: 'der' })))
    throw new Error('alipayPublicKey: that is the application’s own public key, not Alipay’s');
  const timeout = input['timeoutMs']?.trim();
  const timeoutMs = timeout ? Number(timeout) : 10_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    throw new Error('timeoutMs: 100 to 60000 milliseconds');
  return {
    appId,
    sellerId,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    alipayPublicKeyPem: alipayPublicKey.export({ type: 'spki', format: 'pem' }).toString(),
    alipayPublicKey,
    gatewayUrl: gatewayUrl(input['gatewayUrl']),
    timeoutMs,
  };
}
