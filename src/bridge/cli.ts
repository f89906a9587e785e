import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePort, startProblem } from '../cli/start-problem.js';
import { settingsFile } from '../client/config.js';
import type { BridgeEncoding } from './charset.js';
import { DEFAULT_PORT, startBridge } from './server.js';

const USAGE = `usage: payclient bridge [--host 127.0.0.1] [--port ${DEFAULT_PORT}] [--encoding utf8|gbk] [--token T]
                        [--answer-timeout-ms N] [--allow-setinfo]
  The token may also come from PAYCLIENT_BRIDGE_TOKEN, which keeps it out of the process list.
  hop.trade.setinfo is taken only with the token of the file bridge-setinfo.token beside the
  settings (readable by this user alone) in X-Payclient-Setinfo-Token, or with --allow-setinfo.`;

/**
 * The setinfo token, in a file only the workstation's user can read: a
 * process that can read it could change the settings file anyway.
 */
function setinfoTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(settingsFile(env)), 'bridge-setinfo.token');
}

function loadOrCreateSetinfoToken(file: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

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
      'allow-setinfo': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
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
    allowSetinfo: values['allow-setinfo'] === true,
  };
}

/** `payclient bridge …`: serves until SIGINT/SIGTERM; the exit status is 0 then, 2 for bad arguments, 1 when it cannot listen. */
export async function runBridgeCli(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof fromArgv>;
  try {
    parsed = fromArgv(argv);
  } catch (error) {
    console.error(`payclient bridge: ${(error as Error).message} (payclient bridge --help)`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const { help: _, ...parsedOptions } = parsed;
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  const tokenFile = setinfoTokenFile();
  const options = parsedOptions.allowSetinfo
    ? parsedOptions
    : { ...parsedOptions, setinfoToken: loadOrCreateSetinfoToken(tokenFile) };
  try {
    bridge = await startBridge(options);
  } catch (error) {
    console.error(`payclient bridge: ${startProblem(error, options)}`);
    return 1;
  }
  console.error(
    `payclient bridge listening on ${bridge.url} (POST /payTrans, GET /health), default charset ${options.encoding}` +
      (options.token ? ', X-Payclient-Token required' : '') +
      (options.allowSetinfo
        ? ', setinfo allowed from any caller'
        : `, setinfo only with the token in ${tokenFile}`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  return 0;
}
