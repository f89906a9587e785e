import { randomBytes } from 'node:crypto';
import type { UnionpayGatewayDouble } from './server.js';

/**
 * A merchant account made up for a test or a demo: a 15-digit merId and a
 * signing certificate from the double's PKI in a password-protected .pfx,
 * registered with the double, and the `app channel set` fields that point
 * an app at the double (the .pfx in base64, as `pfx=@file` reads it).
 */
export function unionpayTestMerchant(
  double: UnionpayGatewayDouble,
  gatewayUrl: string,
  extra: Record<string, string> = {},
): { config: Record<string, string>; pfx: Buffer } {
  const merId = `777${String(randomBytes(6).readUIntBE(0, 6)).padStart(12, '0').slice(-12)}`;
  const pfxPassword = randomBytes(6).toString('hex');
  const { pfx, issued } = double.pki.merchantPfx(merId, pfxPassword);
  double.addMerchant({ merId, certId: issued.certId, certPem: issued.certPem });
  return {
    pfx,
    config: {
      merId,
      pfx: pfx.toString('base64'),
      pfxPassword,
      rootCert: double.pki.root.certPem,
      middleCert: double.pki.middle.certPem,
      gatewayUrl,
      timeoutMs: '5000',
      ...extra,
    },
  };
}
