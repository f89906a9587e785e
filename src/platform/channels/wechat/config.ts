import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';

/** A hospital's WeChat Pay APIv3 merchant account, as `app channel set <appid> wechat …` gives it. */
export interface WechatConfig {
  readonly mchid: string;
  /** The WeChat app id (公众号/小程序) the payments are made under. */
  readonly appid: string;
  /** The merchant's API private key (apiclient_key.pem): signs every request. */
  readonly privateKey: KeyObject;
  /** Serial number of the merchant API certificate (names the key in the Authorization header). */
  readonly serial: string;
  /** The APIv3 key: 32 bytes, decrypts notification resources. */
  readonly apiV3Key: Buffer;
  /** WeChat Pay's platform public key (from the platform certificate or the WeChat Pay public key). */
  readonly platformKey: KeyObject;
  /** The platform certificate's serial or the public key id (PUB_KEY_ID_…), as WeChat Pay sends it in Wechatpay-Serial. */
  readonly platformSerial: string;
  readonly gatewayUrl: string;
  /** A service provider's sub-merchant: requests then go to the partner endpoints. */
  readonly subMchid?: string;
  readonly timeoutMs: number;
}

export const WECHAT_GATEWAY_URL = 'https://api.mch.weixin.qq.com/';
// appSecret: the official account's AppSecret, for the one-QR landing's web authorization.
export const WECHAT_SECRET_FIELDS = ['privateKey', 'apiV3Key', 'appSecret'] as const;

function required(input: Readonly<Record<string, string>>, name: string): string {
  const value = input[name]?.trim();
  if (!value) throw new Error(`${name}: missing`);
  return value;
}

function loadPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch (error) {
    throw new Error(`privateKey: not an RSA private key in PEM (${(error as Error).message})`);
  }
}

/** The platform key from a certificate (its serial must be the one given) or from a bare public key. */
function loadPlatformKey(pem: string, serial: string): KeyObject {
  if (pem.includes('BEGIN CERTIFICATE')) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (error) {
      throw new Error(`platformKey: not a certificate in PEM (${(error as Error).message})`);
    }
    if (cert.serialNumber.toUpperCase() !== serial.toUpperCase())
      throw new Error(`platformSerial: ${serial} is not the certificate's serial ${cert.serialNumber}`);
    return cert.publicKey;
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch (error) {
    throw new Error(
      `platformKey: neither a certificate nor an RSA public key in PEM (${(error as Error).message})`,
    );
  }
}

function gatewayUrl(value: string | undefined): string {
  const raw = value?.trim() || WECHAT_GATEWAY_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`gatewayUrl: not a URL: ${raw}`);
  }
  // Plain HTTP only to this machine (a gateway double); the real gateway is HTTPS.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error('gatewayUrl: must be https (plain http only to a loopback gateway double)');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Reads and checks the credentials; a malformed one throws, naming the field. */
export function parseWechatConfig(input: Readonly<Record<string, string>>): WechatConfig {
  const mchid = required(input, 'mchid');
  if (!/^\d{8,12}$/.test(mchid)) throw new Error('mchid: the merchant number is 8 to 12 digits');
  const appid = required(input, 'appid');
  if (!/^wx[0-9a-zA-Z]{16}$/.test(appid))
    throw new Error('appid: a WeChat app id is wx followed by 16 characters');
  const serial = required(input, 'serial');
  if (!/^[0-9A-Fa-f]{8,40}$/.test(serial))
    throw new Error('serial: the merchant certificate serial is hexadecimal');
  const apiV3Key = Buffer.from(required(input, 'apiV3Key'), 'utf8');
  if (apiV3Key.length !== 32) throw new Error('apiV3Key: the APIv3 key is exactly 32 bytes');
  const platformSerial = required(input, 'platformSerial');
  if (!/^(PUB_KEY_ID_[0-9A-Za-z]+|[0-9A-Fa-f]{8,40})$/.test(platformSerial))
    throw new Error('platformSerial: a platform certificate serial (hex) or a public key id (PUB_KEY_ID_…)');
  if (platformSerial.toUpperCase() === serial.toUpperCase())
    throw new Error('platformSerial: that is the merchant certificate serial, not WeChat Pay’s');
  const subMchid = input['subMchid']?.trim();
  if (subMchid && !/^\d{8,12}$/.test(subMchid))
    throw new Error('subMchid: the sub-merchant number is 8 to 12 digits');
  const timeout = input['timeoutMs']?.trim();
  const timeoutMs = timeout ? Number(timeout) : 10_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    throw new Error('timeoutMs: 100 to 60000 milliseconds');
  return {
    mchid,
    appid,
    privateKey: loadPrivateKey(required(input, 'privateKey')),
    serial,
    apiV3Key,
    platformKey: loadPlatformKey(required(input, 'platformKey'), platformSerial),
    platformSerial,
    gatewayUrl: gatewayUrl(input['gatewayUrl']),
    ...(subMchid ? { subMchid } : {}),
    timeoutMs,
  };
}
