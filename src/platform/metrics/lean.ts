/**
 * Counters and histograms for the request path that cost one label lookup and
 * a few additions a call. prom-client's own `labels(...).observe()` builds a
 * label object and a hash string on every call; these keep one record per
 * label value, made at its first use, and hand prom-client's registry the
 * values only when it is scraped (the registry formats and serves them).
 */

interface Sample {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

interface Snapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly values: Sample[];
  readonly aggregator: 'sum';
}

/**
 * What prom-client's Registry reads a metric through (`registerMetric`, then
 * `get()` at each scrape); `aggregator` tells its cluster aggregation to add
 * the workers' values.
 */
export interface Collectable {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<Snapshot>;
}

interface Count {
  value: number;
}

/** A counter with two labels, looked up by nested maps: no string is built per call. */
export class PairCounter implements Collectable {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly byFirst = new Map<string, Map<string, Count>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labels: readonly [string, string],
  ) {}

  /** The record of one pair of label values; keep it where the pair is fixed. */
  of(first: string, second: string): Count {
    let inner = this.byFirst.get(first);
    if (!inner) {
      inner = new Map();
      this.byFirst.set(first, inner);
    }
    let count = inner.get(second);
    if (!count) {
      count = { value: 0 };
      inner.set(second, count);
    }
    return count;
  }

  inc(first: string, second: string): void {
    this.of(first, second).value++;
  }

  async get(): Promise<Snapshot> {
    const values: Sample[] = [];
    const [a, b] = this.labels;
    for (const [first, inner] of this.byFirst) {
      for (const [second, count] of inner)
        values.push({ labels: { [a]: first, [b]: second }, value: count.value });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}

/** The buckets of one label value: counts per upper bound, their sum and count. */
export class Buckets {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }
}

/**
 * A histogram with one label whose values are known in advance (the stages of
 * a call): each value's buckets are made once, and `child(value)` is a field
 * the caller keeps, so observing is a loop over the bounds and two additions.
 */
export class LabelledHistogram<L extends string> implements Collectable {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly children = new Map<L, Buckets>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
    readonly bounds: readonly number[],
  ) {}

  child(value: L): Buckets {
    let buckets = this.children.get(value);
    if (!buckets) {
      buckets = new Buckets(this.bounds);
      this.children.set(value, buckets);
    }
    return buckets;
  }

  async get(): Promise<Snapshot> {
    const values: Sample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const [value, buckets] of this.children) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += buckets.counts[i] as number;
        values.push({
          metricName: bucketName,
          labels: { [this.label]: value, le: bound },
          value: cumulative,
        });
      });
      values.push({
        metricName: bucketName,
        labels: { [this.label]: value, le: '+Inf' },
        value: buckets.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels: { [this.label]: value }, value: buckets.sum });
      values.push({
        metricName: `${this.name}_count`,
        labels: { [this.label]: value },
        value: buckets.count,
      });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}
