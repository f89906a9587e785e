import type { Answer } from '../../protocol/codes.js';

/** Desks whose "still at the desk" answer was logged at info; bounded, oldest forgotten first. */
const MAX_REMEMBERED = 10_000;
const announced = new Set<string>();

/**
 * The level of a call's log line. A client at the cashier desk replays its
 * request about once a second until the answer is final: the first "at the
 * desk" answer (040038 + deskUrl) is worth an info line, the replays only a
 * debug one, so an open desk is not a line a second. Every other answer,
 * the desk's final one included, is info.
 */
export function callLogLevel(answer: Answer): 'info' | 'debug' {
  if (answer.respCode !== '040038') return 'info';
  const param = answer['param'] as Record<string, unknown> | undefined;
  const traceNo = param?.['deskUrl'] ? param['traceNo'] : undefined;
  if (typeof traceNo !== 'string') return 'info';
  if (announced.has(traceNo)) return 'debug';
  announced.add(traceNo);
  if (announced.size > MAX_REMEMBERED) {
    const oldest = announced.values().next().value;
    if (oldest !== undefined) announced.delete(oldest);
  }
  return 'info';
}
