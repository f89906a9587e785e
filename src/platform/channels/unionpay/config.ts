import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** A hospital's UnionPay merchant account (全渠道 acp 5.1.0), as `app channel set <appid> unionpay …` gives it. */
export interface UnionpayConfig {
  /** 商户号: 15 characters. */
  readonly merId: string;
  /** The merchant's signing key, from its PKCS#12 signing certificate. */
  readonly signKey: KeyObject;
  /** certId: the signing certificate's serial number in decimal, sent with every request. */
  readonly certId: string;
  /** UnionPay's root and intermediate certificates: an answer's signPubKeyCert must chain to them. */
  readonly rootCert: X509Certificate;
  readonly middleCert: X509Certificate;
  readonly gatewayUrl: string;
  /** The file server of the file transfer (对账文件下载): filedownload.95516.com beside gateway.95516.com. */
  readonly fileTransUrl: string;
  readonly timeoutMs: number;
}

export const UNIONPAY_GATEWAY_URL = 'https://gateway.95516.com/';
export const UNIONPAY_SECRET_FIELDS = ['pfx', 'pfxPassword'] as const;

function required(input: Readonly<Record<string, string>>, name: string): string {
  const value = input[name]?.trim();
  if (!value) throw new Error(`${name}: missing`);
  return value;
}

/**
 * The signing key and certificate from the .pfx UnionPay's merchant service
 * issues (PKCS#12, which node:crypto cannot read: node-forge opens it). The
 * value is the file's bytes in base64 (`pfx=@file` reads a binary file so).
 */
function openPfx(base64: string, password: string): { signKey: KeyObject; certId: string } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.decode64(base64.replace(/\s+/g, ''));
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, password);
  } catch (error) {
    throw new Error(`pfx: not a PKCS#12 file this password opens (${(error as Error).message})`);
  }
  const keyBag =
    p12.getBags({ bagType: forge.pki.oids['pkcs8ShroudedKeyBag'] as string })[
      forge.pki.oids['pkcs8ShroudedKeyBag'] as string
    ]?.[0] ??
    p12.getBags({ bagType: forge.pki.oids['keyBag'] as string })[forge.pki.oids['keyBag'] as string]?.[0];
  const certBag = p12.getBags({ bagType: forge.pki.oids['certBag'] as string })[
    forge.pki.oids['certBag'] as string
  ]?.[0];
  if (!keyBag?.key || !certBag?.cert) throw new Error('pfx: holds no private key and certificate');
  const signKey = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  if (signKey.asymmetricKeyType !== 'rsa') throw new Error('pfx: the key is not RSA');
  const certificate = new X509Certificate(forge.pki.certificateToPem(certBag.cert));
  if (!certificate.checkPrivateKey(signKey)) throw new Error('pfx: the key is not the certificate’s');
  return { signKey, certId: BigInt(`0x${certificate.serialNumber}`).toString(10) };
}

function loadCert(input: Readonly<Record<string, string>>, name: string): X509Certificate {
  try {
    return new X509Certificate(required(input, name));
  } catch (error) {
    throw new Error(`${name}: not a certificate in PEM (${(error as Error).message})`);
  }
}

function httpsUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name}: not a URL: ${raw}`);
  }
  // Plain HTTP only to this machine (a gateway double); the real gateway is HTTPS.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`${name}: must be https (plain http only to a loopback gateway double)`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function gatewayUrl(value: string | undefined): string {
  return httpsUrl('gatewayUrl', value?.trim() || UNIONPAY_GATEWAY_URL);
}

/** Given, or the gateway's host with `gateway.` read `filedownload.` (as UnionPay names them), or the gateway itself. */
function fileTransUrl(value: string | undefined, gateway: string): string {
  if (value?.trim()) return httpsUrl('fileTransUrl', value.trim());
  const url = new URL(gateway);
  if (url.hostname.startsWith('gateway.')) return `${url.protocol}//filedownload.${url.hostname.slice(8)}/`;
  return gateway;
}

/** Reads and checks the credentials; a malformed one throws, naming the field. */
export function parseUnionpayConfig(input: Readonly<Record<string, string>>): UnionpayConfig {
  const merId = required(input, 'merId');
  if (!/^[0-9A-Za-z]{15}$/.test(merId)) throw new Error('merId: the merchant number is 15 characters');
  const { signKey, certId } = openPfx(required(input, 'pfx'), input['pfxPassword'] ?? '');
  const rootCert = loadCert(input, 'rootCert');
  const middleCert = loadCert(input, 'middleCert');
  if (!middleCert.checkIssued(rootCert) || !middleCert.verify(rootCert.publicKey))
    throw new Error('middleCert: not issued by rootCert');
  const timeout = input['timeoutMs']?.trim();
  const timeoutMs = timeout ? Number(timeout) : 10_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    throw new Error('timeoutMs: 100 to 60000 milliseconds');
  const gateway = gatewayUrl(input['gatewayUrl']);
  return {
    merId,
    signKey,
    certId,
    rootCert,
    middleCert,
    gatewayUrl: gateway,
    fileTransUrl: fileTransUrl(input['fileTransUrl'], gateway),
    timeoutMs,
  };
}
