import { sql } from 'kysely';
import type { PayClient } from '../../src/client/index.js';
import { ledgerViolations } from '../../src/platform/ledger/journal.js';
import type { Store } from '../../src/platform/store/index.js';
import { type Attempt, send } from './traffic.js';

/** How long the recovery sweep gets to resolve what the crashes left pending. */
const SWEEP_WAIT_MS = 20_000;
const POLL_MS = 100;
/** Retries in flight at once while verifying. */
const RETRY_CONCURRENCY = 8;

async function eachBounded<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: RETRY_CONCURRENCY }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function order(store: Store, appid: string, a: Attempt) {
  return store.db
    .selectFrom('orders')
    .selectAll()
    .where('appid', '=', appid)
    .where('kind', '=', a.kind)
    .where('out_no', '=', a.outNo)
    .executeTakeFirst();
}

async function balances(store: Store): Promise<string> {
  const rows = await store.db
    .selectFrom('accounts')
    .select(['account_no', 'balance_fen'])
    .orderBy('account_no')
    .execute();
  return JSON.stringify(rows);
}

/**
 * What must hold after any number of SIGKILLs, as a list of violations:
 * 1. every 000000 a client heard is on disk: order present and succ, journal rows present;
 * 2. once the unknown outcomes are retried and the sweep has run, nothing is pending;
 * 3. retrying every stored request replays its stored answer and moves no money;
 * 4. the journal balances (ledgerViolations).
 */
export async function verifyAfterCrashes(
  store: Store,
  appid: string,
  attempts: readonly Attempt[],
  client: PayClient,
): Promise<string[]> {
  const problems: string[] = [];
  for (const a of attempts) {
    if (a.answer?.respCode !== '000000') continue;
    const row = await order(store, appid, a);
    if (!row) problems.push(`${a.kind} ${a.outNo} answered 000000 but has no order`);
    else if (row.state !== 'succ') problems.push(`${a.kind} ${a.outNo} answered 000000 but is ${row.state}`);
    else {
      const moves = await store.db
        .selectFrom('transfers')
        .select(sql<number>`count(*)`.as('n'))
        .where('trace_no', '=', row.trace_no)
        .executeTakeFirstOrThrow();
      if (Number(moves.n) === 0)
        problems.push(`${a.kind} ${a.outNo} answered 000000 but has no journal rows`);
    }
  }
  // Unknown outcomes (no answer, transport codes, 999999): the client's rule is to ask again with the same number.
  await eachBounded(attempts, async (a) => {
    const code = a.answer?.respCode;
    if (code === undefined || code.startsWith('-') || code === '999999') a.answer = await send(client, a);
  });
  // A wallet order whose process died before it reached the channel is only
  // closed once it expires; let its time-to-live pass instead of waiting 15 minutes.
  await store.db
    .updateTable('orders')
    .set({ expire_at: Date.now() - 1 })
    .where('state', 'in', ['ing', 'init'])
    .where('kind', '=', 'recharge')
    .execute();
  const deadline = Date.now() + SWEEP_WAIT_MS;
  let pending = -1;
  while (Date.now() < deadline) {
    const row = await store.db
      .selectFrom('orders')
      .select(sql<number>`count(*)`.as('n'))
      .where('state', 'in', ['ing', 'init'])
      .executeTakeFirstOrThrow();
    pending = Number(row.n);
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (pending !== 0) problems.push(`${pending} orders still pending after the sweep had ${SWEEP_WAIT_MS} ms`);

  const before = await balances(store);
  await eachBounded(attempts, async (a) => {
    const row = await order(store, appid, a);
    if (!row?.answer) return;
    const again = await send(client, a);
    const stored = JSON.parse(row.answer) as unknown;
    if (JSON.stringify(again) !== JSON.stringify(stored)) {
      problems.push(`${a.kind} ${a.outNo}: retry answered ${again.respCode}, stored answer differs`);
    }
    if (a.answer?.respCode === '000000' && JSON.stringify(again) !== JSON.stringify(a.answer)) {
      problems.push(`${a.kind} ${a.outNo}: retry differs from the 000000 the client heard`);
    }
  });
  if ((await balances(store)) !== before) problems.push('retrying stored requests moved money');
  problems.push(...(await ledgerViolations(store.db)));
  return problems;
}
