import { parseYuan } from '../../protocol/money.js';
import { plainHttpRefusal } from '../apps/url-policy.js';
import {
  answerMacInput,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../his/signature.js';
import type { ExternalHisConfig } from '../his/types.js';
import { HIS_STATEMENT_PATH } from '../his/wire.js';
import type { Line } from './load.js';

/** A statement is read whole, unlike the money calls' 64 KiB answers; a day of a large hospital fits. */
const STATEMENT_TIMEOUT_MS = 120_000;

/** The HIS's statement could not be had or believed: the run stops, nothing is matched against half of it. */
export class HisStatementError extends Error {
  override readonly name = 'HisStatementError';
}

/** One HIS row as docs/his-api.md names its fields; a Chinese reason when it is not one. */
function hisLine(row: Record<string, unknown>, where: string): Line {
  const { traceNo, hisNo, amount, kind } = row;
  if (typeof traceNo !== 'string' || traceNo === '') throw new HisStatementError(`${where}: 缺少 traceNo`);
  if (typeof hisNo !== 'string' || hisNo === '') throw new HisStatementError(`${where}: 缺少 hisNo`);
  const amountFen = typeof amount === 'string' ? parseYuan(amount) : null;
  if (amountFen === null || amountFen <= 0)
    throw new HisStatementError(`${where}: 金额须为至多两位小数的正数 (元): ${String(amount)}`);
  if (kind !== 'credit' && kind !== 'refund')
    throw new HisStatementError(`${where}: kind 须为 credit 或 refund: ${String(kind)}`);
  return {
    refNo: hisNo,
    traceNo,
    amountFen,
    kind: kind === 'credit' ? 'pay' : 'refund',
    state: 'success',
    at: 0,
  };
}

/**
 * Asks the HIS for an app's day (`POST <HIS>/statement`, signed as every
 * call) and believes only an answer signed for this request, as the money
 * calls do: an unverifiable statement is no statement.
 */
export async function fetchHisStatement(
  his: ExternalHisConfig,
  appid: string,
  day: string,
  clock: () => number = Date.now,
): Promise<Line[]> {
  const insecure = plainHttpRefusal('外部 HIS', his.baseUrl, his.allowInsecureHttp === true);
  if (insecure) throw new HisStatementError(insecure);
  const body = JSON.stringify({ appid, day });
  const timestampS = Math.floor(clock() / 1000);
  const signature = signBody(his.key, timestampS, body);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${his.baseUrl.replace(/\/+$/, '')}${HIS_STATEMENT_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [TIMESTAMP_HEADER]: String(timestampS),
        [SIGNATURE_HEADER]: signature,
      },
      body,
      signal: AbortSignal.timeout(STATEMENT_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new HisStatementError(`HIS 对账单取不到: ${(error as Error).message}`);
  }
  const check = verifySignature({
    key: his.key,
    body: answerMacInput(signature, text),
    timestamp: response.headers.get(TIMESTAMP_HEADER) ?? undefined,
    signature: response.headers.get(SIGNATURE_HEADER) ?? undefined,
    nowS: Math.floor(clock() / 1000),
  });
  if (check !== 'ok') throw new HisStatementError(`HIS 对账单的签名不可信 (${check})`);
  let answer: { code?: unknown; msg?: unknown; rows?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new HisStatementError('HIS 对账单不是 JSON');
  }
  if (answer.code !== '0' || !Array.isArray(answer.rows))
    throw new HisStatementError(`HIS 拒绝提供对账单: ${String(answer.msg ?? answer.code)}`);
  return answer.rows.map((row, i) =>
    hisLine(
      typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {},
      `第 ${i + 1} 行`,
    ),
  );
}

/**
 * An HIS statement uploaded as CSV (the console's upload): a header naming
 * traceNo, hisNo, amount and kind (any order), then one row per line. Fields
 * hold no commas or quotes (numbers and codes only).
 */
export function parseHisCsv(text: string): Line[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = rows
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (!header || !['traceNo', 'hisNo', 'amount', 'kind'].every((h) => header.includes(h)))
    throw new HisStatementError('CSV 第一行须为表头, 含 traceNo,hisNo,amount,kind');
  return rows.map((row, i) => {
    const cells = row.split(',').map((c) => c.trim());
    if (cells.length !== header.length)
      throw new HisStatementError(`CSV 第 ${i + 2} 行有 ${cells.length} 列, 表头有 ${header.length} 列`);
    return hisLine(Object.fromEntries(header.map((h, j) => [h, cells[j]])), `CSV 第 ${i + 2} 行`);
  });
}
