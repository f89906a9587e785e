import { parseArgs } from 'node:util';
import { startHisSim } from '../his-sim/index.js';
import { parsePort, startProblem } from './start-problem.js';

/** Not the bridge's 1302 (payclient bridge): both may run on one test machine. */
export const HIS_SIM_DEFAULT_PORT = 1303;

const USAGE = `usage:
  onepay his-sim [--port ${HIS_SIM_DEFAULT_PORT}] [--host 127.0.0.1] [--key KEY] [--file his-sim.json] [--no-auto-open]
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
        port: { type: 'string', default: process.env['ONEPAY_HIS_PORT'] ?? String(HIS_SIM_DEFAULT_PORT) },
        host: { type: 'string', default: '127.0.0.1' },
        key: { type: 'string' },
        file: { type: 'string' },
        'no-auto-open': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(
      `onepay his-sim: ${error instanceof Error ? error.message : String(error)} (onepay his-sim --help)`,
    );
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let port: number;
  try {
    port = parsePort(values.port ?? String(HIS_SIM_DEFAULT_PORT));
  } catch (error) {
    console.error(`onepay his-sim: ${(error as Error).message}`);
    return 2;
  }
  const key = values.key ?? process.env['ONEPAY_HIS_KEY'];
  if (!key) {
    console.error('onepay his-sim: a key is needed: --key or ONEPAY_HIS_KEY');
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  let sim: Awaited<ReturnType<typeof startHisSim>>;
  try {
    sim = await startHisSim({
      port,
      host,
      key,
      autoOpen: !values['no-auto-open'],
      ...(values.file ? { file: values.file } : {}),
    });
  } catch (error) {
    console.error(`onepay his-sim: ${startProblem(error, { host, port })}`);
    return 1;
  }
  console.log(`his-sim listening on ${sim.url}`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until signalled
}
