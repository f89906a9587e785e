import { parseArgs } from 'node:util';
import type { BridgeEncoding } from './charset.js';
import { DEFAULT_PORT, startBridge } from './server.js';

const USAGE = `usage: payclient bridge [--host 127.0.0.1] [--port ${DEFAULT_PORT}] [--encoding utf8|gbk] [--token T]
                        [--answer-timeout-ms N]
  The token may also come from PAYCLIENT_BRIDGE_TOKEN, which keeps it out of the process list.`;

function fromArgv(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      encoding: { type: 'string' },
      token: { type: 'string' },
      'answer-timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad --port ${values.port}`);
  const encoding = values.encoding ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'gbk') throw new Error(`bad --encoding ${encoding}`);
  const timeout = values['answer-timeout-ms'];
  const answerTimeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (answerTimeoutMs !== undefined && !(Number.isInteger(answerTimeoutMs) && answerTimeoutMs > 0)) {
    throw new Error(`bad --answer-timeout-ms ${timeout}`);
  }
  const token = values.token ?? process.env['PAYCLIENT_BRIDGE_TOKEN'];
  return {
    help: values.help === true,
    host: values.host ?? '127.0.0.1',
    port,
    encoding: encoding as BridgeEncoding,
    ...(token ? { token } : {}),
    ...(answerTimeoutMs === undefined ? {} : { answerTimeoutMs }),
  };
}

/** `payclient bridge …`: serves until SIGINT/SIGTERM; the exit status is 0 then, 2 for bad arguments, 1 when it cannot listen. */
export async function runBridgeCli(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof fromArgv>;
  try {
    parsed = fromArgv(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const { help: _, ...options } = parsed;
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  try {
    bridge = await startBridge(options);
  } catch (error) {
    console.error(`payclient bridge: ${(error as Error).message}`);
    return 1;
  }
  console.error(
    `payclient bridge listening on ${bridge.url} (POST /payTrans, GET /health), default charset ${options.encoding}` +
      (options.token ? ', X-Payclient-Token required' : ''),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  return 0;
}
