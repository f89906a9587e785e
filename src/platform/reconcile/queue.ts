import { appendAudit } from '../console/audit.js';
import { consoleDb } from '../console/tables.js';
import type { Platform } from '../platform.js';
import { type ReconcileDifferenceTable, reconcileDb } from './tables.js';

/** A reconciliation difference in the manual queue: found once, decided once. */
export type Difference = ReconcileDifferenceTable;

interface DifferenceFilter {
  readonly appid?: string;
  readonly day?: string;
  /** Only those no person has decided yet. */
  readonly open?: boolean;
  readonly limit?: number;
}

export async function listDifferences(
  platform: Platform,
  filter: DifferenceFilter = {},
): Promise<Difference[]> {
  let q = reconcileDb(platform.store.db).selectFrom('reconcile_differences').selectAll();
  if (filter.appid) q = q.where('appid', '=', filter.appid);
  if (filter.day) q = q.where('day', '=', filter.day);
  if (filter.open) q = q.where('resolved_at', 'is', null);
  return q
    .orderBy('day', 'desc')
    .orderBy('kind')
    .orderBy('ref_no')
    .limit(filter.limit ?? 500)
    .execute();
}

/** An app's day with differences no person has decided yet, and how many. */
export interface OpenDifferenceDay {
  readonly appid: string;
  readonly day: string;
  readonly count: number;
}

/**
 * The days that still wait for finance, newest first: the manual queue shows
 * them beside its cases, so one page names everything that needs a person.
 */
export async function openDifferenceDays(platform: Platform, limit = 60): Promise<OpenDifferenceDay[]> {
  const rows = await reconcileDb(platform.store.db)
    .selectFrom('reconcile_differences')
    .select(['appid', 'day', (eb) => eb.fn.countAll<number>().as('count')])
    .where('resolved_at', 'is', null)
    .groupBy(['appid', 'day'])
    .orderBy('day', 'desc')
    .orderBy('appid')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ appid: r.appid, day: r.day, count: Number(r.count) }));
}

interface DifferenceKey {
  readonly appid: string;
  readonly day: string;
  readonly kind: string;
  readonly source: string;
  readonly refNo: string;
}

/**
 * A person's decision on a difference (what was found out, what was done
 * about it elsewhere: a refund by the original route, a correction in the
 * HIS): recorded with its audit line in one transaction, guarded on the
 * difference still being open, so two people cannot both decide it. No money
 * moves here; money moves only through the guarded trades.
 */
export async function resolveDifference(
  platform: Platform,
  key: DifferenceKey,
  decision: { readonly note: string; readonly actor: string; readonly peer: string },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const note = decision.note.trim();
  if (note === '') return { ok: false, message: '须填写处理说明' };
  const now = platform.clock();
  return platform.store.db.transaction().execute(async (trx) => {
    const updated = await reconcileDb(trx)
      .updateTable('reconcile_differences')
      .set({ resolved_by: decision.actor, resolved_at: now, note })
      .where('appid', '=', key.appid)
      .where('day', '=', key.day)
      .where('kind', '=', key.kind as Difference['kind'])
      .where('source', '=', key.source as Difference['source'])
      .where('ref_no', '=', key.refNo)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, message: '该差异不存在或已被他人处理' };
    await appendAudit(consoleDb(trx), {
      actor: decision.actor,
      action: 'reconcile.resolve',
      target: `difference:${key.appid}/${key.day}/${key.kind}/${key.source}/${key.refNo}`,
      before: { resolved: false },
      after: { resolved: true, note },
      peer: decision.peer,
      at: now,
    });
    return { ok: true };
  });
}
