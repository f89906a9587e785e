import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Schema } from './schema.js';
import { runDirect } from './sqlite/direct.js';

/**
 * Placeholders handed to a query's builder. Typed `never` so that one fits
 * any value position of the builder (a column value, a comparison, a `sql`
 * fragment); at run time each is a unique marker string.
 */
type Slots<K extends string> = { readonly [name in K]: never };

interface Shape {
  readonly compiled: CompiledQuery<unknown>;
  /** For each compiled parameter: the slot it comes from, or undefined for a constant of the builder. */
  readonly from: readonly (string | undefined)[];
}

type CompiledOnce<K extends string, R> = (
  db: Kysely<Schema>,
  values: { readonly [name in K]: unknown },
) => Promise<QueryResult<R>>;

/**
 * A query whose shape never changes, built and compiled by Kysely once per
 * dialect and then run with new values. Kysely otherwise rebuilds and
 * recompiles the same tree on every call (5–8 µs a statement, measured in
 * docs/benchmarks.md), which on the hot paths (nonce claim, order lookup,
 * cash recharge) was about a quarter of a request's CPU.
 *
 * Where each value lands among the compiled parameters is found by matching
 * the markers, not assumed from the order of the builder's calls. Runs on any
 * Kysely instance or transaction of the schema; the compiled form is kept per
 * dialect adapter, which transactions share with the instance they came from
 * (`getExecutor()` is Kysely's, typed public; compiled.test.ts pins it on both engines).
 */
export function compiledOnce<K extends string, R>(
  names: readonly K[],
  build: (db: Kysely<Schema>, slot: Slots<K>) => Compilable<R>,
): CompiledOnce<K, R> {
  const byAdapter = new WeakMap<object, Shape>();
  const marker = (name: string) => `\u0000slot:${name}\u0000`;
  const slots = Object.fromEntries(names.map((n) => [n, marker(n)])) as unknown as Slots<K>;
  const nameOf = new Map<unknown, string>(names.map((n) => [marker(n), n]));

  const shapeFor = (db: Kysely<Schema>): Shape => {
    const adapter = db.getExecutor().adapter;
    let shape = byAdapter.get(adapter);
    if (!shape) {
      const compiled = build(db, slots).compile() as CompiledQuery<unknown>;
      const from = compiled.parameters.map((p) => nameOf.get(p));
      const missing = names.filter((n) => !from.includes(n));
      // A slot the builder dropped or inlined would silently run without its value.
      if (missing.length > 0) throw new Error(`compiledOnce: slots not bound: ${missing.join(', ')}`);
      shape = { compiled, from };
      byAdapter.set(adapter, shape);
    }
    return shape;
  };

  return async (db, values) => {
    const { compiled, from } = shapeFor(db);
    const parameters = compiled.parameters.map((constant, i) => {
      const name = from[i];
      return name === undefined ? constant : values[name as K];
    });
    // Inside a SQLite transaction the statement runs straight on better-sqlite3 (sqlite/direct.ts).
    return (
      runDirect<R>(db, { sql: compiled.sql, parameters }) ??
      db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>)
    );
  };
}
