import type { Platform } from '../platform.js';
import { deliver } from './delivery.js';
import type { DeliveryResult } from './delivery-result.js';
import { NOTIFY_TOPICS } from './messages.js';
import { MAX_ATTEMPTS, nextGapMs } from './schedule.js';
import { deliverTradeEvent, isTradeEvent, TRADE_EVENT_TOPICS } from './trade-events.js';
import { WechatSender } from './wechat.js';

interface NotifyWorkerOptions {
  /** Milliseconds clock; tests pass a fake one and call tick() instead of waiting hours. */
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Rows taken per tick. */
  readonly batch?: number;
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

/** A claimed row is left alone by other workers this long; a crashed worker's rows come back after it. */
const LEASE_MS = 120_000;

/**
 * Delivers notification outbox rows at least once. Several platform
 * processes may run one each: a row is claimed by moving its next_at
 * forward only if nobody else did first.
 */
export class NotifyWorker {
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly batch: number;
  private readonly concurrency: number;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly wechat: WechatSender;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly platform: Platform,
    options: NotifyWorkerOptions = {},
  ) {
    this.clock = options.clock ?? platform.clock;
    this.random = options.random ?? Math.random;
    this.batch = options.batch ?? 32;
    this.concurrency = options.concurrency ?? 4;
    this.intervalMs = options.intervalMs ?? 2_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.wechat = new WechatSender(this.clock, this.timeoutMs);
  }

  /** One bounded pass over the due rows; answers how many were attempted. */
  async tick(): Promise<number> {
    const now = this.clock();
    const due = await this.platform.store.db
      .selectFrom('outbox')
      .select(['id', 'event_id', 'appid', 'topic', 'payload', 'attempts', 'next_at'])
      .where('topic', 'in', [...NOTIFY_TOPICS, ...TRADE_EVENT_TOPICS])
      .where('state', '=', 'ing')
      .where('next_at', '<=', now)
      .orderBy('next_at')
      .limit(this.batch)
      .execute();
    let next = 0;
    let attempted = 0;
    const lane = async () => {
      while (next < due.length) {
        const row = due[next++];
        if (row && (await this.attempt(row, now))) attempted++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.length) }, lane));
    return attempted;
  }

  private async attempt(
    row: {
      id: number;
      event_id: string;
      appid: string;
      topic: string;
      payload: string;
      attempts: number;
      next_at: number;
    },
    now: number,
  ): Promise<boolean> {
    const db = this.platform.store.db;
    const claimed = await db
      .updateTable('outbox')
      .set({ next_at: now + LEASE_MS, updated_at: now })
      .where('id', '=', row.id)
      .where('state', '=', 'ing')
      .where('next_at', '=', row.next_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    let result: DeliveryResult;
    try {
      result = isTradeEvent(row.topic)
        ? await deliverTradeEvent(this.platform, row, now, this.timeoutMs)
        : await deliver(row, {
            platform: this.platform,
            wechat: this.wechat,
            timeoutMs: this.timeoutMs,
            now,
          });
    } catch (error) {
      result = { ok: false, error: `delivery crashed: ${(error as Error).message}`.slice(0, 300) };
    }
    const attempts = row.attempts + 1;
    const at = this.clock();
    const giveUp = !result.ok && (result.permanent === true || attempts >= MAX_ATTEMPTS);
    await db
      .updateTable('outbox')
      .set({
        state: result.ok ? 'succ' : giveUp ? 'fail' : 'ing',
        attempts,
        next_at: result.ok || giveUp ? at : at + nextGapMs(attempts, this.random),
        last_error: result.ok ? null : result.error,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    if (!result.ok) {
      this.platform.log.warn(
        { eventId: row.event_id, attempts, giveUp, error: result.error },
        'notification delivery failed',
      );
    }
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return; // one pass at a time: a slow receiver must not pile passes up
      this.running = this.tick()
        .catch((err: unknown) => this.platform.log.warn({ err }, 'notification pass failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

const WORKERS = new WeakMap<Platform, NotifyWorker>();

/** The platform's own background worker (serve.ts starts it). */
export function startNotifyWorker(platform: Platform, options: NotifyWorkerOptions = {}): NotifyWorker {
  const worker = new NotifyWorker(platform, options);
  WORKERS.set(platform, worker);
  worker.start();
  return worker;
}

/** For tests that drive delivery with a fake clock: stop this one first. */
export function notifyWorkerOf(platform: Platform): NotifyWorker | undefined {
  return WORKERS.get(platform);
}
