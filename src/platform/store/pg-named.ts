import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Distinct statement texts given a name; the platform issues a few dozen shapes, so this never fills. */
const MAX_NAMED = 512;

/** Only single data statements are named: DDL and multi-statement texts run as they came. */
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Kysely's PostgreSQL driver sends every statement unnamed, so the server
 * parses and plans the same text again on every call. Here each data
 * statement's text gets a name once, and node-postgres prepares it once per
 * connection and from then on only binds and executes it. Kysely emits the
 * same text for the same query shape with values as parameters, so the set of
 * names stays small. The texts are the platform's own (values are always
 * parameters), never user input.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameFor = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED && DATA_STATEMENT.test(text)) {
      name = `onepay_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  // One wrapper per pooled client, so Kysely's per-client bookkeeping keeps finding it.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: ((text: unknown, values?: unknown[]) => {
          if (typeof text !== 'string') return client.query(text as pg.Submittable);
          const name = nameFor(text);
          return name === undefined
            ? client.query(text, values)
            : client.query({ name, text, values: values ?? [] });
        }) as unknown as PostgresPoolClient['query'],
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
