import { loadMasterKey } from '../platform/apps/master-key.js';
import { DeskRecordChannels } from '../platform/channels/desk-record/index.js';
import { SandboxChannels } from '../platform/channels/sandbox/index.js';
import { StatementError } from '../platform/channels/statements/bill-text.js';
import { createLogger } from '../platform/log/logger.js';
import { Platform } from '../platform/platform.js';
import { dayProblem } from '../platform/reconcile/day.js';
import { HisStatementError, parseHisCsv } from '../platform/reconcile/his-statement.js';
import { ReconcileBusyError, reconcileDay } from '../platform/reconcile/run.js';
import { DIFFERENCE_KINDS } from '../platform/reconcile/tables.js';
import type { Store } from '../platform/store/index.js';

export const RECONCILE_USAGE = `  onepay reconcile <appid> <yyyy-mm-dd> [--his-csv FILE] [--db …]
                    (the day's three-way reconciliation now; the platform also runs it daily, ONEPAY_RECONCILE_HOUR)`;

/**
 * `onepay reconcile`: the same run the schedule and the console start, from a
 * shell. The sandbox's statement is read from the database, so the platform
 * need not be serving; the run's claim keeps it from racing a running one.
 */
export async function runReconcileCli(
  store: Store,
  dataDir: string,
  args: { readonly appid?: string; readonly day?: string; readonly hisCsv?: string },
  readFile: (path: string) => string,
  print: (line: string) => void = console.log,
): Promise<number> {
  const { appid, day } = args;
  if (!appid || !day) {
    console.error(`usage:\n${RECONCILE_USAGE}`);
    return 2;
  }
  const problem = dayProblem(day);
  if (problem) {
    console.error(problem);
    return 2;
  }
  const platform = new Platform({
    store,
    masterKey: loadMasterKey({ dataDir }),
    log: createLogger({ level: 'warn' }),
  });
  platform.channels.useSandbox(
    new SandboxChannels({
      store,
      publicUrl: () => platform.publicUrl,
      clock: platform.clock,
      // Reading a statement changes no payment: nothing to tell.
      notify: async () => {},
    }),
  );
  platform.channels.useDeskRecord(new DeskRecordChannels(store, platform.clock));
  try {
    const hisLines = args.hisCsv ? parseHisCsv(readFile(args.hisCsv)) : undefined;
    const summary = await reconcileDay(platform, appid, day, hisLines ? { hisLines } : {});
    print(`${appid} ${day}: 渠道 ${summary.channelLines} 笔, HIS ${summary.hisLines} 笔`);
    print(`  相符: 渠道 ${summary.matched.channel} 笔, HIS ${summary.matched.his} 笔`);
    const kinds = Object.entries(summary.differences);
    if (kinds.length === 0) print('  无差异');
    for (const [kind, n] of kinds)
      print(`  ${DIFFERENCE_KINDS[kind as keyof typeof DIFFERENCE_KINDS]}: ${n}`);
    return kinds.length === 0 ? 0 : 1;
  } catch (error) {
    if (
      error instanceof ReconcileBusyError ||
      error instanceof HisStatementError ||
      error instanceof StatementError ||
      error instanceof RangeError
    ) {
      console.error((error as Error).message);
      return 2;
    }
    throw error;
  }
}
