import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** A gateway double started on its own: where it listens, what `app channel set` needs, how to stop it. */
interface StartedDouble {
  readonly url: string;
  /** The double's path for a test or a person to act as the patient (pay, fail…). */
  readonly control: string;
  /** The `app channel set` fields; files the double wrote are named `@<path>`. */
  readonly fields: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

interface DoubleKind {
  readonly title: string;
  readonly port: number;
  readonly about: string;
  start(port: number, host: string, out: string): Promise<StartedDouble>;
}

/** Writes a merchant's file for the operator; a private key only for its owner. */
function write(out: string, name: string, content: string | Buffer, secret = false): string {
  const path = join(out, name);
  writeFileSync(path, content, secret ? { mode: 0o600 } : {});
  return `@${path}`;
}

const DOUBLES = {
  alipay: {
    title: 'Alipay double',
    port: 1310,
    about:
      'an Alipay open-platform double: it makes up an application, writes its private key and the double’s public key',
    async start(port, host, out) {
      const { alipayTestMerchant } = await import('../gateway-doubles/alipay/merchant.js');
      const { AlipayGatewayDouble, CONTROL } = await import('../gateway-doubles/alipay/server.js');
      const double = new AlipayGatewayDouble();
      const url = await double.listen(port, host);
      const { config, privateKeyPem } = alipayTestMerchant(double, url, { timeoutMs: '10000' });
      const fields = {
        ...config,
        privateKey: write(out, 'alipay-double-app-key.pem', privateKeyPem, true),
        alipayPublicKey: write(out, 'alipay-double-public-key.pem', double.publicKeyPem),
      };
      return { url, control: CONTROL, fields, close: () => double.close() };
    },
  },
  wechat: {
    title: 'WeChat Pay double',
    port: 1311,
    about:
      'a WeChat Pay APIv3 double: it makes up a merchant, writes its private key and the double’s platform key',
    async start(port, host, out) {
      const { wechatTestMerchant } = await import('../gateway-doubles/wechat/merchant.js');
      const { CONTROL, WechatGatewayDouble } = await import('../gateway-doubles/wechat/server.js');
      const double = new WechatGatewayDouble();
      const url = await double.listen(port, host);
      const { config, privateKeyPem } = wechatTestMerchant(double, url, { timeoutMs: '10000' });
      const fields = {
        ...config,
        privateKey: write(out, 'wechat-double-merchant-key.pem', privateKeyPem, true),
        platformKey: write(out, 'wechat-double-platform-key.pem', double.platformPublicKeyPem),
      };
      return { url, control: CONTROL, fields, close: () => double.close() };
    },
  },
  unionpay: {
    title: 'UnionPay double',
    port: 1312,
    about:
      'a UnionPay acp 5.1.0 double: it makes up its root, intermediate and signing certificates and a merchant .pfx',
    async start(port, host, out) {
      const { unionpayTestMerchant } = await import('../gateway-doubles/unionpay/merchant.js');
      const { CONTROL, UnionpayGatewayDouble } = await import('../gateway-doubles/unionpay/server.js');
      const double = new UnionpayGatewayDouble();
      const url = await double.listen(port, host);
      const { config, pfx } = unionpayTestMerchant(double, url, { timeoutMs: '10000' });
      const fields = {
        ...config,
        pfx: write(out, 'unionpay-double-merchant.pfx', pfx, true),
        rootCert: write(out, 'unionpay-double-root.cer', double.pki.root.certPem),
        middleCert: write(out, 'unionpay-double-middle.cer', double.pki.middle.certPem),
      };
      return { url, control: CONTROL, fields, close: () => double.close() };
    },
  },
} satisfies Record<string, DoubleKind>;

type Gateway = keyof typeof DOUBLES;

export const GATEWAY_DOUBLE_USAGE = `  onepay gateway-double ${Object.keys(DOUBLES).join('|')} [--port ${Object.values(
  DOUBLES,
)
  .map((d) => d.port)
  .join('|')}] [--host 127.0.0.1] [--out DIR]
        (a payment gateway's double for tests and demos, checking signatures as the real one does:
         it writes the merchant's files to DIR and prints the app channel set line)`;

export function isDoubledGateway(name: string | undefined): name is Gateway {
  return name !== undefined && Object.hasOwn(DOUBLES, name);
}

/** `onepay gateway-double <gateway>`: that gateway's double as a server of its own, until signalled. */
export async function runGatewayDoubleCli(gateway: Gateway, argv: readonly string[]): Promise<number> {
  const kind: DoubleKind = DOUBLES[gateway];
  let values: { port?: string; host?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: String(kind.port) },
        host: { type: 'string', default: '127.0.0.1' },
        out: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${GATEWAY_DOUBLE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(`usage:\n${GATEWAY_DOUBLE_USAGE}\n  ${gateway}: ${kind.about}`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be 0..65535');
    return 2;
  }
  const started = await kind.start(port, values.host ?? '127.0.0.1', values.out ?? '.');
  const line = Object.entries(started.fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`${kind.title} on ${started.url}`);
  console.log(`configure a live app: onepay app channel set <appid> ${gateway} ${line}`);
  console.log(
    `play the patient: curl -X POST ${started.url.replace(/\/$/, '')}${started.control}orders/<traceNo>/pay`,
  );
  const stop = () => void started.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
