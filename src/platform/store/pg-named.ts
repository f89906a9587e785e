import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Distinct statement texts given a name; the platform issues a few dozen shapes, so this never fills. */
const MAX_NAMED = 512;

/** Only single data statements are named: DDL and multi-statement texts run as they came. */
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * A result list of `*` (or `"table".*`): its columns are the table's, so a
 * migration adding one (say, a newer version rolling out beside this one)
 * changes the result of a statement prepared before it, and PostgreSQL
 * refuses to run it again ("cached plan must not change result type").
 * The hot statements name their columns (trades/orders.ts, ledger/accounts.ts).
 */
const STAR_RESULT = /(?:\bselect|\breturning|,)\s+(?:distinct\s+)?(?:"[^"]*"\.)?\*(?=\s|,|$)/i;

/** PostgreSQL's answer when a prepared statement's plan no longer fits its tables. */
function planChanged(error: unknown): boolean {
  return (
    (error as { code?: string }).code === '0A000' && /cached plan/i.test(String((error as Error).message))
  );
}

/**
 * Kysely's PostgreSQL driver sends every statement unnamed, so the server
 * parses and plans the same text again on every call. Here each data
 * statement's text gets a name once, and node-postgres prepares it once per
 * connection and from then on only binds and executes it. Kysely emits the
 * same text for the same query shape with values as parameters, so the set of
 * names stays small. The texts are the platform's own (values are always
 * parameters), never user input.
 *
 * If a table changes under a prepared statement anyway (a column's type
 * altered), the failing call fails once, the text gets a fresh name, and every
 * connection prepares it anew on its next call. Behind PgBouncer in
 * transaction mode, named statements need its max_prepared_statements (1.21+).
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  let issued = 0;
  const nameFor = (text: string): string | undefined => {
    let name = names.get(text);
    if (
      name === undefined &&
      names.size < MAX_NAMED &&
      DATA_STATEMENT.test(text) &&
      !STAR_RESULT.test(text)
    ) {
      name = `onepay_${issued++}`;
      names.set(text, name);
    }
    return name;
  };
  const run = async (client: pg.PoolClient, text: string, values: unknown[] | undefined) => {
    const name = nameFor(text);
    if (name === undefined) return client.query(text, values);
    try {
      return await client.query({ name, text, values: values ?? [] });
    } catch (error) {
      if (planChanged(error) && names.get(text) === name) names.set(text, `onepay_${issued++}`);
      throw error;
    }
  };
  // One wrapper per pooled client, so Kysely's per-client bookkeeping keeps finding it.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: ((text: unknown, values?: unknown[]) =>
          typeof text === 'string'
            ? run(client, text, values)
            : client.query(text as pg.Submittable)) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
