import { parseArgs } from 'node:util';
import { isSandboxWallet, SANDBOX_WALLETS } from '../platform/channels/sandbox/index.js';

const SANDBOX_USAGE = `usage:
  onepay sandbox pay <qrcode URL> [--wallet alipay|wechat|unionpay] [--fail]
    Plays the patient's phone: pays (or, with --fail, fails) the sandbox payment
    behind a QR code URL the platform answered, and prints the wallet's JSON answer.
    Exit status 0 when the wallet did what was asked, 1 when it refused, 2 on bad usage.`;

/** A wallet answers in milliseconds; a hung platform must not hang a test script. */
const TIMEOUT_MS = 15_000;

interface SandboxCliIo {
  readonly fetch?: typeof fetch;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** `onepay sandbox …` with argv after the word `sandbox`; resolves to the exit status. */
export async function runSandboxCli(argv: readonly string[], io: SandboxCliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    err(`${(error as Error).message}\n${SANDBOX_USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [command, qrcode, ...more] = positionals;
  if (command !== 'pay' || !qrcode || more.length > 0) {
    err(SANDBOX_USAGE);
    return 2;
  }
  let url: URL;
  try {
    url = new URL(qrcode);
  } catch {
    err(`not a URL: ${qrcode}\n${SANDBOX_USAGE}`);
    return 2;
  }
  if (!/\/q\/[A-Za-z0-9_-]+\/?$/.test(url.pathname)) {
    err(`not a sandbox QR code URL (…/q/<token>): ${qrcode}`);
    return 2;
  }
  if (values.wallet !== undefined && !isSandboxWallet(values.wallet)) {
    err(`--wallet must be one of ${SANDBOX_WALLETS.join(', ')}`);
    return 2;
  }
  url.pathname = `${url.pathname.replace(/\/$/, '')}/pay`;
  const body = {
    ...(values.wallet !== undefined ? { wallet: values.wallet } : {}),
    ...(values.fail ? { fail: true } : {}),
  };
  let response: Response;
  try {
    response = await (io.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    err(`cannot reach ${url.origin}: ${(error as Error).message}`);
    return 1;
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    err(`HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    return 1;
  }
  out(JSON.stringify(answer, null, 2));
  const state = (answer as { state?: unknown }).state;
  const wanted = values.fail ? 'fail' : 'success';
  return response.ok && state === wanted ? 0 : 1;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { wallet: { type: 'string' }, fail: { type: 'boolean', default: false } },
  });
}
