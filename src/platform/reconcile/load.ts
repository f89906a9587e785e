import type { StatementRow } from '../channels/types.js';
import type { LineSource, ReconcileDb, ReconcileLineTable } from './tables.js';

/** Rows per INSERT: 9 columns each stays far below both engines' parameter limits. */
const BATCH = 1000;

/** A statement line as every source gives it. */
export type Line = Pick<StatementRow, 'kind' | 'traceNo' | 'amountFen' | 'at' | 'state'> & {
  /** The line's own number (channel trade number, HIS serial). */
  readonly refNo: string;
};

/**
 * Replaces a source's lines of a day with `lines`: multi-row INSERTs of BATCH
 * rows, nothing held but the current batch. Not one transaction: the sandbox
 * reads its statement from the same database, and SQLite's one connection
 * would wait on itself. A run killed while loading leaves a partial load that
 * nothing reads: every run loads afresh before it matches (run.ts).
 * Returns how many lines were loaded.
 */
export async function loadLines(
  db: ReconcileDb,
  key: { readonly appid: string; readonly day: string; readonly source: LineSource },
  lines: AsyncIterable<Line>,
): Promise<number> {
  await db
    .deleteFrom('reconcile_lines')
    .where('appid', '=', key.appid)
    .where('day', '=', key.day)
    .where('source', '=', key.source)
    .execute();
  let batch: ReconcileLineTable[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    // A line listed twice is the same line: the key keeps one.
    await db
      .insertInto('reconcile_lines')
      .values(batch)
      .onConflict((c) => c.doNothing())
      .execute();
    count += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    batch.push({
      ...key,
      kind: line.kind,
      ref_no: line.refNo,
      trace_no: line.traceNo,
      amount_fen: line.amountFen,
      state: line.state,
      at: line.at,
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return count;
}

/** A channel statement's rows as lines: the channel's trade number names each. */
export async function* channelLines(rows: AsyncIterable<StatementRow>): AsyncGenerator<Line> {
  for await (const row of rows) yield { ...row, refNo: row.channelTradeNo };
}

/** Several streams one after another. */
export async function* concatenated<T>(streams: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const stream of streams) yield* stream;
}
