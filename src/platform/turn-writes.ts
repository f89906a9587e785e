/**
 * Writes gathered over one turn of the event loop and made together at its
 * end. A reply written the moment it is ready wakes its client between two
 * requests the platform still has to read in the same turn; on two shared
 * cores each such wake-up is a switch of the other core, and the `writev`
 * of a SQLite query cost ~20 µs against ~5 µs in a burst. Gathered, the
 * replies of a turn go out back to back: SQLite queries 9,500 → 12,600–13,400/s
 * (docs/benchmarks.md). Nothing waits for a timer: the turn ends as soon as
 * the requests read in it are handled, so a lone request gains no delay
 * worth measuring.
 */
export class TurnWrites {
  private pending: (() => void)[] = [];

  constructor(private readonly onError: (error: unknown) => void) {}

  add(write: () => void): void {
    if (this.pending.length === 0) setImmediate(this.flush);
    this.pending.push(write);
  }

  private readonly flush = (): void => {
    const writes = this.pending;
    this.pending = [];
    for (const write of writes) {
      // One failed write (its client gone) must not keep the others' replies back.
      try {
        write();
      } catch (error) {
        this.onError(error);
      }
    }
  };
}
