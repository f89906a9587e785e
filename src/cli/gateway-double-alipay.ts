import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { alipayTestMerchant } from '../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble, CONTROL } from '../gateway-doubles/alipay/server.js';

export const ALIPAY_DOUBLE_USAGE = `  onepay gateway-double alipay [--port 1310] [--host 127.0.0.1] [--out DIR]
        (an Alipay open-platform double for tests and demos: it makes up an application, writes
         its private key and the double's public key to DIR, and prints the app channel set line)`;

/** `onepay gateway-double alipay`: the Alipay gateway double as a server of its own. */
export async function runAlipayDoubleCli(argv: readonly string[]): Promise<number> {
  let values: { port?: string; host?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '1310' },
        host: { type: 'string', default: '127.0.0.1' },
        out: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${ALIPAY_DOUBLE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(`usage:\n${ALIPAY_DOUBLE_USAGE}`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be 0..65535');
    return 2;
  }
  const double = new AlipayGatewayDouble();
  const url = await double.listen(port, values.host);
  const { config, privateKeyPem } = alipayTestMerchant(double, url, { timeoutMs: '10000' });
  const out = values.out ?? '.';
  const keyFile = join(out, 'alipay-double-app-key.pem');
  const publicFile = join(out, 'alipay-double-public-key.pem');
  writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
  writeFileSync(publicFile, double.publicKeyPem);
  const line = Object.entries({ ...config, privateKey: `@${keyFile}`, alipayPublicKey: `@${publicFile}` })
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`Alipay double on ${url}`);
  console.log(`configure a live app: onepay app channel set <appid> alipay ${line}`);
  console.log(`play the patient: curl -X POST ${url.replace(/\/$/, '')}${CONTROL}orders/<traceNo>/pay`);
  const stop = () => void double.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
