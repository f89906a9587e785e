import { collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import { type Buckets, type Collectable, LabelledHistogram, PairCounter } from './lean.js';

/**
 * The stages of a call whose wall time is measured (onepay_stage_seconds):
 * - envelope: parse, find the app, open (MAC, decrypt, time window) and seal the answer;
 * - replay: the nonce claim; validation: the catalog's checks of pindata;
 * - handler: the transType's work, everything below included;
 * - database: a transaction or batched statement (group commit, turn batch);
 * - channel: a call to a payment channel's adapter; his: a call to an external HIS;
 * - call: the whole call, from the body read to the sealed answer.
 */
const STAGES = ['envelope', 'replay', 'validation', 'handler', 'database', 'channel', 'his', 'call'] as const;
export type Stage = (typeof STAGES)[number];

/** 50 µs to 10 s: a query's envelope is ~0.1 ms, a channel's answer can take seconds. */
const STAGE_BOUNDS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** transType of a call refused before its envelope was opened (no transType is known then). */
export const REFUSED = '(refused)';
/** transType of an authenticated call whose pindata failed validation. */
export const INVALID = '(invalid)';

/**
 * The process's instruments, one set per process as Prometheus scrapes a
 * process: every platform built in it (tests build several) adds to them.
 */
class Instruments {
  readonly registry = new Registry();
  readonly calls = new PairCounter('onepay_calls_total', 'API calls answered, by transType and respCode', [
    'trans_type',
    'resp_code',
  ]);
  readonly stageSeconds = new LabelledHistogram<Stage>(
    'onepay_stage_seconds',
    'Wall time of each stage of a call, seconds',
    'stage',
    STAGE_BOUNDS,
  );
  /** Each stage's buckets, made once: observing is two additions and a walk over the bounds. */
  readonly stage: Readonly<Record<Stage, Buckets>>;
  readonly openStreams: Gauge<'route'>;
  readonly gauges: ReturnType<typeof scrapeGauges>;
  /** Reads the database and pools into the gauges (set by scrape.ts); nothing before a server serves /metrics. */
  refresh: () => Promise<void> = async () => {};
  private processMetricsOn = false;

  constructor() {
    this.stage = Object.fromEntries(STAGES.map((s) => [s, this.stageSeconds.child(s)])) as Record<
      Stage,
      Buckets
    >;
    for (const lean of [this.calls, this.stageSeconds] as Collectable[]) {
      // prom-client's registry reads a metric through name, help, type and get(): these provide them.
      this.registry.registerMetric(lean as unknown as Metric);
    }
    this.openStreams = new Gauge({
      name: 'onepay_open_streams',
      help: 'Live event streams open (desks, extension screens, refund desks), by route',
      labelNames: ['route'],
      aggregator: 'sum',
      registers: [this.registry],
    });
    this.gauges = scrapeGauges(this.registry, () => this.refresh());
  }

  /**
   * Node's own metrics (CPU, memory, GC, event-loop delay): started by the
   * first server that serves /metrics, not by every test that builds a platform.
   */
  enableProcessMetrics(): void {
    if (this.processMetricsOn) return;
    this.processMetricsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }
}

/**
 * Gauges set from the database and the pools when /metrics is read: each
 * one's collect waits for `refresh` (scrape.ts reads everything once a
 * scrape). Under `serve --workers` the workers' values are aggregated: the
 * database's counts are the same in every worker (`max`), pools and queues
 * are each worker's own (`sum`).
 */
function scrapeGauges(registry: Registry, refresh: () => Promise<void>) {
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    aggregator: 'max' | 'sum',
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      aggregator,
      registers: [registry],
      collect: refresh,
    });
  return {
    outbox: gauge(
      'onepay_outbox_backlog',
      'Outbox events not yet delivered, by whether they are due',
      ['due'],
      'max',
    ),
    outboxOldest: gauge(
      'onepay_outbox_oldest_due_seconds',
      'Age of the oldest outbox event due and not yet delivered, seconds',
      [],
      'max',
    ),
    unsettled: gauge(
      'onepay_orders_unsettled',
      'Orders the recovery sweep may have to resolve (state ing, init or exp), by kind and state',
      ['kind', 'state'],
      'max',
    ),
    unsettledOldest: gauge(
      'onepay_orders_unsettled_oldest_seconds',
      'Time since the oldest unsettled order of a kind and state last moved, seconds',
      ['kind', 'state'],
      'max',
    ),
    pool: gauge(
      'onepay_db_pool_connections',
      'PostgreSQL pool connections, by pool and use',
      ['pool', 'use'],
      'sum',
    ),
    groupCommitQueued: gauge(
      'onepay_group_commit_queued',
      'SQLite units of work waiting for the next group commit',
      [],
      'sum',
    ),
    groupCommitBatches: gauge(
      'onepay_group_commit_batches',
      'SQLite group commits done since the store opened (a counter per store)',
      [],
      'sum',
    ),
    groupCommitUnits: gauge(
      'onepay_group_commit_units',
      'SQLite units of work committed since the store opened (a counter per store)',
      [],
      'sum',
    ),
  };
}

export const instruments = new Instruments();

/** Seconds since a `performance.now()` reading. */
export function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}
