import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import type { Store } from './index.js';

/**
 * Every statement the API runs for recharge, query, refund, close and
 * account info (and /metrics' backlog counts), captured as it is executed,
 * then explained on its engine with the values it ran with: a statement that
 * reads a table whole (or a whole index) fails the test. On PostgreSQL with
 * enable_seqscan off, so a young table does not hide a missing index behind
 * a cheap sequential scan: a Seq Scan left in the plan means there is no index
 * it could use. What runs inside onepay_offline_refund (migration 0011) is
 * not seen here: its statements look rows up by the same keys.
 */

interface Ran {
  readonly sql: string;
  readonly params: readonly unknown[];
}

let capturing = false;
const ran = new Map<string, Ran>();
function record(sql: string, params: readonly unknown[] | undefined): void {
  if (capturing && !ran.has(sql)) ran.set(sql, { sql, params: params ?? [] });
}

// SQLite: every prepared statement of better-sqlite3 runs through these methods of its prototype.
const sqliteStatement = Object.getPrototypeOf(new Database(':memory:').prepare('select 1')) as Record<
  string,
  (...args: unknown[]) => unknown
>;
for (const method of ['run', 'get', 'all', 'iterate'] as const) {
  const original = sqliteStatement[method] as (...args: unknown[]) => unknown;
  sqliteStatement[method] = function (this: { source: string }, ...args: unknown[]) {
    record(this.source, Array.isArray(args[0]) ? args[0] : args);
    return original.apply(this, args);
  };
}
// PostgreSQL: every statement of node-postgres, named or not.
const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first, second] = args;
  if (typeof first === 'string') record(first, second as unknown[] | undefined);
  else if (first && typeof (first as { text?: unknown }).text === 'string') {
    const config = first as { text: string; values?: unknown[] };
    record(config.text, config.values);
  }
  return pgQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

/** Statements that read or write rows; transaction control, pragmas and settings have no plan. */
const DATA = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Whole reads that are meant: the SQLite nonce log is read back once, at a
 * process's first claim, and holds only the replay window (gateway/nonces.ts
 * prunes it); from then on memory decides claims.
 */
const MEANT = [/^select "ts_s", "appid", "nonce" from "nonce_claims"$/];

/**
 * SQLite: `SCAN t` reads the table (or alias) t whole, `SCAN t USING [COVERING] INDEX i`
 * the whole index. A co-routine or materialized subquery (`(select 1) as one_row`) is
 * scanned as a row source, not a table; so are constant rows and json_each.
 */
async function sqliteFullScans(store: Store, statement: Ran): Promise<string[]> {
  const plan = await store.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.params]),
  );
  const subqueries = new Set(
    plan.rows.map((row) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(row.detail)?.[1]).filter(Boolean),
  );
  return plan.rows
    .map((row) => row.detail)
    .filter((detail) => {
      const scanned = /^SCAN (\S+)/.exec(detail)?.[1];
      return (
        scanned !== undefined && scanned !== 'CONSTANT' && scanned !== 'json_each' && !subqueries.has(scanned)
      );
    });
}

interface PgPlan {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Plans?: readonly PgPlan[];
}

function pgScansOf(plan: PgPlan, out: string[]): string[] {
  const type = plan['Node Type'];
  if (type === 'Seq Scan') out.push(`Seq Scan on ${plan['Relation Name']}`);
  // With sequential scans off, a whole index read in their place is just as full a scan.
  if ((type === 'Index Scan' || type === 'Index Only Scan') && !plan['Index Cond'])
    out.push(`${type} of all of ${plan['Index Name']} on ${plan['Relation Name']}`);
  for (const child of plan.Plans ?? []) pgScansOf(child, out);
  return out;
}

async function postgresFullScans(store: Store, statement: Ran): Promise<string[]> {
  return store.db.connection().execute(async (db) => {
    await db.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    try {
      const result = await db.executeQuery<{ 'QUERY PLAN': { Plan: PgPlan }[] }>(
        CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.params]),
      );
      const plan = result.rows[0]?.['QUERY PLAN'][0]?.Plan;
      assert.ok(plan, `no plan for ${statement.sql}`);
      return pgScansOf(plan, []);
    } finally {
      await db.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
    }
  });
}

const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });

for (const database of TEST_DATABASES) {
  describe(`every look-up of the API uses an index on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(() => t?.close());

    it(
      'recharge, query, refund, close, account info: no statement reads a table whole',
      availability,
      async () => {
        const ok = (answer: { respCode: string; respMsg: string }, code = '000000') =>
          assert.equal(answer.respCode, code, answer.respMsg);
        ran.clear();
        capturing = true;
        try {
          // A recharge opening the account, one to it once open, a replayed one, several in one turn.
          ok(await t.client.recharge(cashRecharge('P1', 'PR-1', '50.00')));
          const second = await t.client.recharge(cashRecharge('P1', 'PR-2', '20.00'));
          ok(second);
          ok(await t.client.recharge(cashRecharge('P1', 'PR-2', '20.00')));
          for (const answer of await Promise.all(
            [3, 4, 5, 6].map((n) => t.client.recharge(cashRecharge(`P${n}`, `PR-${n}`, '5.00'))),
          ))
            ok(answer);
          // Queries by trace number and by merchant number, alone and several in one turn, one not found.
          const traceNo = (second['param'] as Record<string, string>)['traceNo'] ?? '';
          ok(
            await t.client.query({ ...card('P1'), tradeType: 'hop.trade.recharge', traceNo, outTradeNo: '' }),
          );
          ok(await t.client.query({ ...card('P1'), tradeType: 'hop.trade.recharge', outTradeNo: 'PR-1' }));
          for (const answer of await Promise.all(
            ['PR-3', 'PR-4', 'none'].map((outTradeNo) =>
              t.client.query({ ...card('P3'), tradeType: 'hop.trade.recharge', outTradeNo }),
            ),
          ))
            ok(answer);
          // Refunds paid out in cash, the second one of an order past the minimum interval's gate.
          ok(await t.client.refund(cashRefund('P1', 'PR-1', 'PF-1', '10.00')));
          ok(await t.client.query({ ...card('P1'), tradeType: 'hop.trade.refund', outTradeNo: 'PF-1' }));
          // A QR recharge left unpaid, then closed.
          const qr = await t.client.recharge({
            ...cashRecharge('P7', 'PQ-7', '3.00'),
            depositType: 'ALI_QR',
          });
          ok(qr);
          ok(await t.client.rechargeClose({ ...card('P7'), outChargeNo: 'PQ-7', closeReason: '患者离开' }));
          ok(await t.client.accountInfo(card('P1')));
          ok(await t.client.accountInfo(card('P8')), '031003');
          const metrics = await fetch(`${t.running.url}/metrics`);
          assert.equal(metrics.status, 200);
        } finally {
          capturing = false;
        }

        const statements = [...ran.values()].filter(
          (s) => DATA.test(s.sql) && !MEANT.some((meant) => meant.test(s.sql)),
        );
        assert.ok(statements.length >= 10, `only ${statements.length} statements seen`);
        const store = t.running.platform.store;
        const scans: string[] = [];
        for (const statement of statements) {
          const found =
            database.name === 'sqlite'
              ? await sqliteFullScans(store, statement)
              : await postgresFullScans(store, statement);
          for (const scan of found) scans.push(`${scan}\n    in: ${statement.sql}`);
        }
        assert.deepEqual(scans, [], `full scans:\n${scans.join('\n')}`);
      },
    );
  });
}
