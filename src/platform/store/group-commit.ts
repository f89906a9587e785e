import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { instruments, secondsSince } from '../metrics/instruments.js';
import type { Store } from './open.js';
import { perStore } from './per-store.js';
import type { Schema } from './schema.js';
import { runDirect } from './sqlite/direct.js';

/**
 * Group commit for SQLite. Every commit waits for an fsync of the WAL before
 * its callers may be answered (sqlite/wal-sync.ts), so one transaction per
 * request caps the platform at the disk's fsync rate. Here the units of work that arrive while a commit is under
 * way run together in ONE transaction, each inside its own savepoint:
 * - a unit that throws is rolled back to its savepoint and only its caller
 *   sees the error; the others go on;
 * - every caller is answered only after the COMMIT that holds its unit
 *   returned and the WAL was synced after it, so no answer ever speaks of
 *   data that is not on disk; the next batch runs during that sync;
 * - if the COMMIT itself fails, every unit of the batch fails with it.
 * Units run one after another, so inside a batch they are serial: a unit sees
 * the writes of the units before it, exactly as if each had committed alone.
 * Hence the one rule for callers: a unit talks only to the database. While a
 * unit awaits anything else (a channel, the HIS, a timer) the whole batch and
 * every request behind it waits; such calls belong before or after the unit.
 * Every trade's transaction goes through here (trades/*.ts), so its lone
 * fsync is shared as well.
 *
 * PostgreSQL already merges the WAL flushes of concurrent commits and has a
 * pool of connections working in parallel; serialising its units on one
 * connection would only add round trips, so there a unit is its own
 * transaction (measured in docs/benchmarks.md).
 */
type Unit<T> = (trx: Transaction<Schema>) => Promise<T>;

interface GroupCommitOptions {
  /** Units per transaction: bounds how long one batch holds the database. */
  readonly maxBatch: number;
  /** Units waiting; beyond it a caller is refused at once rather than queued without end. */
  readonly maxQueued: number;
}

const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 512, maxQueued: 50_000 };

/**
 * How long a batch holding only lazy units (no caller waiting on them) may
 * wait for company. A commit costs ~0.1 ms of fsync plus ~5 µs a page it
 * writes, and claims arriving within one second share pages: measured with
 * bench/probes/trade-cost.ts query, 5 ms gave 8 µs of commit a query, 20 ms
 * 3.4 µs, 50 ms 3.0. Any waited-on unit starts the batch at once and takes the
 * lazy ones along, so this never delays an answer.
 */
const LAZY_WINDOW_MS = 20;

// Compiled once: Kysely's savepoint builders cost 8 µs a unit against 3 µs for these (docs/benchmarks.md).
const SAVEPOINT = CompiledQuery.raw('savepoint "unit"');
const RELEASE = CompiledQuery.raw('release "unit"');
const ROLLBACK_TO = CompiledQuery.raw('rollback to "unit"');

interface Pending {
  readonly unit: Unit<unknown>;
  /** performance.now() when queued: the unit's database stage runs from here to its batch's COMMIT. */
  readonly queuedAt: number;
  /** One statement: SQLite undoes a failed statement by itself, so no savepoint is needed around it. */
  readonly single: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

class GroupCommitOverloaded extends Error {
  constructor(queued: number) {
    super(`group commit queue full (${queued} units waiting)`);
    this.name = 'GroupCommitOverloaded';
  }
}

class GroupCommitter {
  private queue: Pending[] = [];
  private draining = false;
  private lazyTimer: NodeJS.Timeout | undefined;
  /**
   * One statement, durable when this resolves. On PostgreSQL it runs alone
   * in autocommit: wrapping it in BEGIN/COMMIT would cost two round trips.
   */
  runStatement<T>(statement: (db: Kysely<Schema>) => Promise<T>): Promise<T> {
    if (this.store.dialect !== 'sqlite') return timed(statement(this.store.db));
    return this.enqueue(statement, true, false);
  }

  /**
   * One statement that no answer waits on: it joins the next batch, which
   * may start up to LAZY_WINDOW_MS later. Still durable when this resolves.
   */
  runLazyStatement<T>(statement: (db: Kysely<Schema>) => Promise<T>): Promise<T> {
    if (this.store.dialect !== 'sqlite') return statement(this.store.db);
    return this.enqueue(statement, true, true);
  }

  /** Commits whatever is queued now (at shutdown, so lazy units are not left behind). */
  async flush(): Promise<void> {
    if (this.queue.length > 0 && !this.draining) this.startDrain();
    while (this.draining) await new Promise((r) => setImmediate(r));
    await this.store.settled?.();
  }

  /** Batches committed and units in them: lets tests and benchmarks see the grouping happen. */
  readonly stats = { batches: 0, units: 0, failedUnits: 0 };

  /** Units waiting for the next batch (/metrics). */
  get queued(): number {
    return this.queue.length;
  }

  constructor(
    private readonly store: Store,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Runs `unit` in a transaction and resolves once that transaction is durable. */
  run<T>(unit: Unit<T>): Promise<T> {
    if (this.store.dialect !== 'sqlite') return timed(this.store.db.transaction().execute(unit));
    return this.enqueue(unit, false, false);
  }

  private enqueue<T>(unit: Unit<T>, single: boolean, lazy: boolean): Promise<T> {
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new GroupCommitOverloaded(this.queue.length));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        unit,
        single,
        queuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.draining) return;
      if (!lazy) this.startDrain();
      else this.lazyTimer ??= setTimeout(() => this.startDrain(), LAZY_WINDOW_MS);
    });
  }

  private startDrain(): void {
    clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    if (this.draining) return;
    this.draining = true;
    // The batch starts after the current turn of the event loop, so every
    // request read from the sockets in this turn joins it.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      // Bounded by the queue's own bound: each pass takes at least one unit off it.
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        await this.commit(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    let trx: Awaited<ReturnType<ReturnType<Store['db']['startTransaction']>['execute']>> | undefined;
    try {
      trx = await this.store.db.startTransaction().execute();
      const open = trx;
      // Straight on better-sqlite3: the batch holds the connection (sqlite/direct.ts).
      const run = (query: CompiledQuery) => runDirect(open, query) ?? open.executeQuery(query);
      for (const item of batch) {
        if (item.single) {
          // A lone statement has no business reason to fail (the nonce claim is ON CONFLICT DO
          // NOTHING): an error here is the database's (I/O, full disk), after which SQLite may
          // have rolled the whole transaction back by itself. Carrying on would run the next
          // units in autocommit, so the batch stops and fails as a whole.
          outcomes.push({ ok: true, value: await item.unit(trx) });
          continue;
        }
        await run(SAVEPOINT);
        try {
          const value = await item.unit(trx);
          await run(RELEASE);
          outcomes.push({ ok: true, value });
        } catch (error) {
          // Undo this unit only; ROLLBACK TO keeps the savepoint, RELEASE pops it. If SQLite
          // already rolled the whole transaction back (I/O error), the savepoint is gone, this
          // throws, and the batch fails as a whole below.
          await run(ROLLBACK_TO);
          await run(RELEASE);
          outcomes.push({ ok: false, value: error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      // The batch as a whole did not commit: nothing of it is durable, whatever its units returned.
      if (trx && !trx.isCommitted && !trx.isRolledBack)
        await trx
          .rollback()
          .execute()
          .catch(() => {});
      this.failAll(batch, error);
      return;
    }
    this.stats.batches++;
    this.stats.units += batch.length;
    // The COMMIT has returned; its WAL frames reach the disk on the thread pool while this loop
    // goes on to the next batch (sqlite/wal-sync.ts). The units are answered once they are there.
    const settled = this.store.settled?.();
    if (settled) {
      settled.then(
        () => this.answer(batch, outcomes),
        (error) => this.failAll(batch, error),
      );
    } else this.answer(batch, outcomes);
  }

  /** The batch is on disk: each caller gets its unit's outcome. */
  private answer(batch: readonly Pending[], outcomes: readonly { ok: boolean; value: unknown }[]): void {
    batch.forEach((item, i) => {
      database.observe(secondsSince(item.queuedAt));
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else {
        this.stats.failedUnits++;
        item.reject(outcome?.value);
      }
    });
  }

  /** Nothing of the batch is known to be durable: every unit fails with the reason. */
  private failAll(batch: readonly Pending[], error: unknown): void {
    this.stats.failedUnits += batch.length;
    for (const item of batch) item.reject(error);
  }
}

const database = instruments.stage.database;

/** A PostgreSQL transaction or statement, its wall time counted as the database stage. */
function timed<T>(work: Promise<T>): Promise<T> {
  const started = performance.now();
  return work.finally(() => database.observe(secondsSince(started)));
}

/** The committer of a store: one per store, so every writer of it joins the same batches. */
export const groupCommit = perStore((store) => new GroupCommitter(store));
