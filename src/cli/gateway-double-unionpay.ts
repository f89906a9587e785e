import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { unionpayTestMerchant } from '../gateway-doubles/unionpay/merchant.js';
import { CONTROL, UnionpayGatewayDouble } from '../gateway-doubles/unionpay/server.js';

export const UNIONPAY_DOUBLE_USAGE = `  onepay gateway-double unionpay [--port 1312] [--host 127.0.0.1] [--out DIR]
        (a UnionPay acp 5.1.0 double for tests and demos: it makes up its own root, intermediate
         and signing certificates and a merchant with a .pfx, writes them to DIR, and prints the
         app channel set line)`;

/** `onepay gateway-double unionpay`: the UnionPay gateway double as a server of its own. */
export async function runUnionpayDoubleCli(argv: readonly string[]): Promise<number> {
  let values: { port?: string; host?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '1312' },
        host: { type: 'string', default: '127.0.0.1' },
        out: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${UNIONPAY_DOUBLE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(`usage:\n${UNIONPAY_DOUBLE_USAGE}`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be 0..65535');
    return 2;
  }
  const double = new UnionpayGatewayDouble();
  const url = await double.listen(port, values.host);
  const { config, pfx } = unionpayTestMerchant(double, url, { timeoutMs: '10000' });
  const out = values.out ?? '.';
  const files = {
    pfx: join(out, 'unionpay-double-merchant.pfx'),
    rootCert: join(out, 'unionpay-double-root.cer'),
    middleCert: join(out, 'unionpay-double-middle.cer'),
  };
  writeFileSync(files.pfx, pfx, { mode: 0o600 });
  writeFileSync(files.rootCert, double.pki.root.certPem);
  writeFileSync(files.middleCert, double.pki.middle.certPem);
  const fields = {
    ...config,
    pfx: `@${files.pfx}`,
    rootCert: `@${files.rootCert}`,
    middleCert: `@${files.middleCert}`,
  };
  const line = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`UnionPay double on ${url}`);
  console.log(`configure a live app: onepay app channel set <appid> unionpay ${line}`);
  console.log(`play the patient: curl -X POST ${url.replace(/\/$/, '')}${CONTROL}orders/<traceNo>/pay`);
  const stop = () => void double.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
