import { isSpecCode } from '../protocol/codes.js';
import { notThePlatform, post } from './transport.js';

/** setinfo waits this long for the address to answer: a person is waiting, and nothing depends on it. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Asks the address setinfo was given whether a onepay platform answers there:
 * a call of `{}`, which the platform refuses before doing anything with a
 * plain spec code (an envelope without appid). Undefined when it does; else
 * what a person should fix. (An empty body would not do: Fastify refuses an
 * empty JSON body on any path, a wrong one included, before routing.)
 * It checks the exact address calls will go to (path included), which a
 * probe of the server's /health would not.
 */
export async function addressProblem(serveraddr: URL): Promise<string | undefined> {
  const result = await post(serveraddr, '{}', {
    connectTimeoutMs: CHECK_TIMEOUT_MS,
    answerTimeoutMs: CHECK_TIMEOUT_MS,
    maxAnswerBytes: 64 * 1024,
  });
  if (result.kind !== 'answer') return `无法连接 ${serveraddr.host} (${result.reason})`;
  const stranger = notThePlatform(result.status);
  if (stranger) return stranger;
  try {
    const answer = JSON.parse(result.body) as { respCode?: unknown };
    if (typeof answer.respCode === 'string' && isSpecCode(answer.respCode)) return undefined;
  } catch {
    // Not JSON: not the platform; said below.
  }
  return `该地址的应答不是 onepay 支付平台的 (HTTP ${result.status})`;
}
