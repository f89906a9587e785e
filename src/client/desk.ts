import { spawn } from 'node:child_process';
import type { Answer } from '../protocol/codes.js';

/**
 * How payclient shows the cashier desk the platform asks for:
 * - open: the system browser (xdg-open / open / rundll32), the DLL's behaviour;
 * - print: the URL on stderr (a terminal session, a remote desktop);
 * - none: nothing — a kiosk shell that embeds the desk itself (it reads the
 *   URL from its own hook or from the pending answer).
 */
type DeskMode = 'open' | 'print' | 'none';

export interface DeskOptions {
  readonly mode?: DeskMode;
  /** How long payTrans waits for the desk to finish before answering "pending" (040038). */
  readonly timeoutMs?: number;
  /** Replaces the mode's way of showing the URL (tests, embedding shells). */
  readonly show?: (url: string) => void;
}

/** The DLL's desk waits for the cashier; ten minutes is longer than any order lives by default. */
export const DEFAULT_DESK_TIMEOUT_MS = 10 * 60_000;
const FIRST_REPLAY_MS = 1_000;
/** A platform that does not answer is asked less often, but never less than every 5 s. */
const MAX_REPLAY_MS = 5_000;

/** Reads PAYCLIENT_DESK and PAYCLIENT_DESK_TIMEOUT_MS at each call, so a running HIS can change them. */
export function deskOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Required<Omit<DeskOptions, 'show'>> {
  const raw = env['PAYCLIENT_DESK'];
  const mode: DeskMode = raw === 'print' || raw === 'none' ? raw : 'open';
  const timeout = Number(env['PAYCLIENT_DESK_TIMEOUT_MS']);
  return { mode, timeoutMs: Number.isFinite(timeout) && timeout >= 0 ? timeout : DEFAULT_DESK_TIMEOUT_MS };
}

/** The desk URL of an answer that asks for one (040038 + param.deskUrl), else undefined. */
export function deskUrlOf(answer: Answer): string | undefined {
  if (answer.respCode !== '040038') return undefined;
  const param = answer['param'];
  if (param === null || typeof param !== 'object') return undefined;
  const url = (param as Record<string, unknown>)['deskUrl'];
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/**
 * Shows the desk. Only http(s) URLs are opened, and never through a shell:
 * the URL comes from the platform, and a URL must not become a command.
 */
export function showDesk(url: string, mode: DeskMode, show?: (url: string) => void): void {
  if (show) {
    show(url);
    return;
  }
  if (mode === 'none') return;
  let safe: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(parsed.protocol);
    safe = parsed.href;
  } catch {
    process.stderr.write(`payclient: 收银台地址无效, 未打开: ${url.slice(0, 200)}\n`);
    return;
  }
  if (mode === 'print') {
    process.stderr.write(`payclient: 请在浏览器中打开收银台 ${safe}\n`);
    return;
  }
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [safe]]
      : process.platform === 'win32'
        ? ['rundll32.exe', ['url.dll,FileProtocolHandler', safe]]
        : ['xdg-open', [safe]];
  try {
    // The URL is always printed too: an opener may exist and still find no browser (xdg-open exits 3),
    // and the cashier must never wait minutes at a desk nobody can see.
    process.stderr.write(`payclient: 正在打开收银台 ${safe}\n`);
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    const failed = () => process.stderr.write(`payclient: 无法打开浏览器, 请手动打开收银台 ${safe}\n`);
    child.on('error', failed);
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) failed();
    });
    child.unref();
  } catch {
    process.stderr.write(`payclient: 无法打开浏览器, 请手动打开收银台 ${safe}\n`);
  }
}

/**
 * The desk is open; the same request is replayed (fresh envelope each time,
 * same pindata) until the platform's stored answer is final. Past the bound
 * the first answer is returned as it is — 040038 with traceNo — and the
 * caller closes the order (PayClient.closeAbandoned) or leaves it to a query.
 */
export async function waitAtDesk(
  pending: Answer,
  replay: () => Promise<Answer>,
  options: { readonly timeoutMs: number },
): Promise<Answer> {
  const deadline = Date.now() + options.timeoutMs;
  let gap = FIRST_REPLAY_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return pending;
    await new Promise((resolve) => setTimeout(resolve, Math.min(gap, left)));
    if (Date.now() >= deadline) return pending;
    const answer = await replay();
    // Negative codes: the platform was not reached or did not answer; keep waiting, more slowly.
    if (answer.respCode.startsWith('-')) {
      gap = Math.min(gap * 2, MAX_REPLAY_MS);
      continue;
    }
    gap = FIRST_REPLAY_MS;
    if (answer.respCode !== '040038') return answer;
  }
}
