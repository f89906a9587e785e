import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wechatTestMerchant } from '../gateway-doubles/wechat/merchant.js';
import { CONTROL, WechatGatewayDouble } from '../gateway-doubles/wechat/server.js';

export const WECHAT_DOUBLE_USAGE = `  onepay gateway-double wechat [--port 1311] [--host 127.0.0.1] [--out DIR]
        (a WeChat Pay APIv3 double for tests and demos: it makes up a merchant, writes its
         private key and the double's platform key to DIR, and prints the app channel set line)`;

/** `onepay gateway-double wechat`: the WeChat Pay gateway double as a server of its own. */
export async function runWechatDoubleCli(argv: readonly string[]): Promise<number> {
  let values: { port?: string; host?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '1311' },
        host: { type: 'string', default: '127.0.0.1' },
        out: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${WECHAT_DOUBLE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(`usage:\n${WECHAT_DOUBLE_USAGE}`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be 0..65535');
    return 2;
  }
  const double = new WechatGatewayDouble();
  const url = await double.listen(port, values.host);
  const { config, privateKeyPem } = wechatTestMerchant(double, url, { timeoutMs: '10000' });
  const out = values.out ?? '.';
  const keyFile = join(out, 'wechat-double-merchant-key.pem');
  const platformFile = join(out, 'wechat-double-platform-key.pem');
  writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
  writeFileSync(platformFile, double.platformPublicKeyPem);
  const fields = {
    ...config,
    privateKey: `@${keyFile}`,
    platformKey: `@${platformFile}`,
  };
  const line = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`WeChat Pay double on ${url}`);
  console.log(`configure a live app: onepay app channel set <appid> wechat ${line}`);
  console.log(`play the patient: curl -X POST ${url.replace(/\/$/, '')}${CONTROL}orders/<traceNo>/pay`);
  const stop = () => void double.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
