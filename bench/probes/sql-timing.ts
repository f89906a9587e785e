/**
 * Times every better-sqlite3 statement by its SQL text. Imported first (it
 * patches the driver's prototype), so a probe can say which statements a
 * trade spends its database time on. Probe code: never imported by the platform.
 */
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

export interface StatementTime {
  readonly sql: string;
  readonly calls: number;
  readonly ms: number;
}

const times = new Map<string, { calls: number; ms: number }>();
type Statement = Record<string, unknown>;
const proto = Database.prototype as unknown as { prepare(this: unknown, sql: string): Statement };
const prepare = proto.prepare;

proto.prepare = function (this: unknown, sql: string): Statement {
  const statement = prepare.call(this, sql);
  for (const method of ['run', 'all', 'get']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const entry = times.get(sql) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        times.set(sql, entry);
      }
    };
  }
  return statement;
};

/** The times gathered since the last call, slowest first, and a fresh start. */
export function takeStatementTimes(): StatementTime[] {
  const out = [...times].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms);
  times.clear();
  return out;
}
