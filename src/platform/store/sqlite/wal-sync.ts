import { closeSync, fdatasync, openSync } from 'node:fs';

/** Flushes a file to disk and calls back; node's fdatasync by default, runs on libuv's thread pool. */
export type SyncFile = (fd: number, done: (error: Error | null) => void) => void;

/**
 * Durability of a SQLite store in WAL mode, without stopping the event loop.
 *
 * With synchronous=FULL SQLite fsyncs the WAL inside every COMMIT, on the
 * thread that runs it: the platform's only thread, which then serves no one
 * for the fsync's duration (8 % of the platform's time in a recharge run,
 * docs/benchmarks.md). With synchronous=NORMAL the COMMIT writes the same WAL
 * frames but leaves them in the page cache; SQLite still syncs the WAL before
 * every checkpoint and the database after it. What FULL adds is exactly one
 * fdatasync of the WAL file after each commit, and that is what this does,
 * on the thread pool, while the event loop goes on.
 *
 * The one rule it keeps: nothing leaves the process speaking of data that is
 * not on disk. Every commit point (a COMMIT, or a write outside a
 * transaction) is counted when it returns; `settled()` resolves once a sync
 * that began after the latest counted commit point has finished. A sync that
 * is under way when a new commit point arrives does not count for it (its
 * frames may have been written after the sync began): the next sync starts as
 * soon as that one ends, and covers every commit that came meanwhile, so
 * commits that arrive during a sync share the next one. Callers: the group
 * commit answers a batch's units only once settled, and every read outside a
 * transaction returns only once what it could see is settled
 * (durable-dialect.ts), so a query cannot answer with a recharge that a power
 * cut would take back.
 *
 * One difference from FULL remains, outside the platform: another process
 * reading the file (the CLI) may see a commit up to one sync before it is on
 * disk, as FULL would not let it; nothing such a reader shows is an answer to
 * a call, and the serving process is the only writer (sqlite-owner.ts).
 *
 * A failed sync means the kernel may have dropped pages it could not write:
 * whether the frames are on disk is unknown, so the store fails every caller
 * from then on rather than answer as if they were (a restart recovers from
 * what the disk holds).
 */
export class WalSync {
  /** Commit points counted so far. */
  private committed = 0;
  /** Every commit point up to this one is on disk. */
  private synced = 0;
  private syncing = false;
  private fd: number | undefined;
  private failure: Error | undefined;
  private waiters: {
    readonly upTo: number;
    readonly resolve: () => void;
    readonly reject: (e: Error) => void;
  }[] = [];

  constructor(
    private readonly walPath: string,
    private readonly syncFile: SyncFile = fdatasync,
  ) {}

  /** A statement that commits (or writes outside a transaction) has just returned. */
  commitPoint(): void {
    this.committed++;
  }

  /** Undefined when every commit point so far is on disk; otherwise a promise that resolves once it is. */
  settled(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.synced >= this.committed) return undefined;
    const upTo = this.committed;
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.startSync();
    });
  }

  /** Closes the WAL's file handle (the store is closing). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startSync(): void {
    if (this.syncing || this.failure) return;
    let fd: number;
    try {
      // SQLite keeps the WAL file (same inode) while the store's connection is open, so one handle serves.
      fd = this.fd ??= openSync(this.walPath, 'r');
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.syncing = true;
    const upTo = this.committed;
    this.syncFile(fd, (error) => {
      this.syncing = false;
      if (error) return this.fail(error);
      this.synced = upTo;
      const still = [];
      for (const waiter of this.waiters) {
        if (waiter.upTo <= upTo) waiter.resolve();
        else still.push(waiter);
      }
      this.waiters = still;
      if (still.length > 0) this.startSync();
    });
  }

  private fail(error: Error): void {
    this.failure = new Error(
      `the database's write-ahead log could not be flushed to disk: ${error.message}`,
      {
        cause: error,
      },
    );
    for (const waiter of this.waiters) waiter.reject(this.failure);
    this.waiters = [];
  }
}
