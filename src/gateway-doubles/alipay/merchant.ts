import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AlipayGatewayDouble } from './server.js';

/**
 * An Alipay application made up for a test or a demo: its own key pair,
 * registered with the double, and the `app channel set` fields that point an
 * app at the double.
 */
export function alipayTestMerchant(
  double: AlipayGatewayDouble,
  gatewayUrl: string,
  extra: Record<string, string> = {},
): { config: Record<string, string>; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const digits = (n: number) => randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-n);
  const appId = `2021${digits(12)}`;
  const sellerId = `2088${digits(12)}`;
  double.addApplication({ appId, sellerId, publicKey });
  return {
    privateKeyPem,
    config: {
      appId,
      sellerId,
      privateKey: privateKeyPem,
      alipayPublicKey: double.publicKeyPem,
      gatewayUrl,
      timeoutMs: '1500',
      ...extra,
    },
  };
}
