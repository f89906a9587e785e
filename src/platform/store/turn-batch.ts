import { instruments, secondsSince } from '../metrics/instruments.js';

const database = instruments.stage.database;

/** Inputs per run: bounds the size of one statement's arrays. */
const MAX_BATCH = 1_000;

interface Waiting<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the calls of one turn of the event loop and runs them as one: on
 * PostgreSQL a statement costs a wake-up of a server process and a round
 * trip, more than the work in it, so the claims or lookups of every request
 * read from the sockets in one turn go as one statement of arrays instead of
 * one each. `run` gets the inputs and returns one output per input, in
 * order. Runs do not wait for each other (each takes its own connection); a
 * run that fails fails every call in it.
 */
export class TurnBatch<I, O> {
  private waiting: Waiting<I, O>[] = [];

  /**
   * `alone`, when given, answers a batch of one. For one key, PostgreSQL
   * spends ~0.33 ms on a statement of arrays against ~0.08 ms on the
   * single-key statement: it mostly plans it anew for the values given
   * (0.20 ms with the generic plan forced), and unnest and LATERAL cost more
   * than a plain join. The arrays pay only when a turn holds several
   * (measured, docs/benchmarks.md); at low load every batch is one.
   */
  constructor(
    private readonly run: (inputs: readonly I[]) => Promise<readonly O[]>,
    private readonly alone?: (input: I) => Promise<O>,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.runAll());
      this.waiting.push({ input, resolve, reject });
    });
  }

  private runAll(): void {
    const all = this.waiting;
    this.waiting = [];
    for (let at = 0; at < all.length; at += MAX_BATCH) void this.runOne(all.slice(at, at + MAX_BATCH));
  }

  private async runOne(batch: readonly Waiting<I, O>[]): Promise<void> {
    const started = performance.now();
    try {
      const only = batch.length === 1 ? batch[0] : undefined;
      const outputs =
        only && this.alone ? [await this.alone(only.input)] : await this.run(batch.map((w) => w.input));
      if (outputs.length !== batch.length)
        throw new Error(`batch of ${batch.length} got ${outputs.length} outputs`);
      // Every call of the batch waited the statement's whole time: each is one database stage.
      const seconds = secondsSince(started);
      batch.forEach((w, i) => {
        database.observe(seconds);
        w.resolve(outputs[i] as O);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
