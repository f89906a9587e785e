import { parseArgs } from 'node:util';
import { startHisSim } from '../his-sim/index.js';

const USAGE = `usage:
  onepay his-sim [--port 1302] [--host 127.0.0.1] [--key KEY] [--file his-sim.json] [--no-auto-open]
  The key defaults to $ONEPAY_HIS_KEY; fault injection: POST /_faults (docs/his-api.md).`;

/** `onepay his-sim`: a simulated HIS for the platform's external deposit provider. */
export async function runHisSimCli(argv: readonly string[]): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    key?: string;
    file?: string;
    'no-auto-open'?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: process.env['ONEPAY_HIS_PORT'] ?? '1302' },
        host: { type: 'string', default: '127.0.0.1' },
        key: { type: 'string' },
        file: { type: 'string' },
        'no-auto-open': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be 0..65535\n${USAGE}`);
    return 2;
  }
  const key = values.key ?? process.env['ONEPAY_HIS_KEY'];
  if (!key) {
    console.error(`a key is needed: --key or ONEPAY_HIS_KEY\n${USAGE}`);
    return 2;
  }
  const sim = await startHisSim({
    port,
    host: values.host ?? '127.0.0.1',
    key,
    autoOpen: !values['no-auto-open'],
    ...(values.file ? { file: values.file } : {}),
  });
  console.log(`his-sim listening on ${sim.url}`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
