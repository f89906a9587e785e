import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { WechatGatewayDouble } from './server.js';

/**
 * A merchant account made up for a test or a demo: its own key pair and APIv3
 * key, registered with the double, and the `app channel set` fields that
 * point an app at the double.
 */
export function wechatTestMerchant(
  double: WechatGatewayDouble,
  gatewayUrl: string,
  extra: Record<string, string> = {},
): { config: Record<string, string>; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const mchid = String(1_900_000_000 + randomBytes(3).readUIntBE(0, 3));
  const appid = `wx${randomBytes(8).toString('hex')}`;
  const serial = randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = extra['apiV3Key'] ?? randomBytes(16).toString('hex');
  double.addMerchant({ mchid, appid, serial, publicKey, apiV3Key });
  return {
    privateKeyPem,
    config: {
      mchid,
      appid,
      serial,
      privateKey: privateKeyPem,
      apiV3Key,
      platformKey: double.platformPublicKeyPem,
      platformSerial: double.platformSerial,
      gatewayUrl,
      timeoutMs: '1500',
      ...extra,
    },
  };
}
