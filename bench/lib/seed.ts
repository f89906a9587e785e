import { type RawBuilder, sql } from 'kysely';
import { loadMasterKey } from '../../src/platform/apps/master-key.js';
import { PatientData } from '../../src/platform/privacy/patient-data.js';
import type { Store } from '../../src/platform/store/index.js';
import { RECHARGE_ANSWER, SAMPLE_TRACE_NO } from './recharge-answer.js';

export interface SeedShape {
  /** The app the rows belong to (the bench's own, so its calls run among them). */
  readonly appid: string;
  readonly orders: number;
  readonly accounts: number;
  /** Milliseconds: the seeded orders end here, one a millisecond before it. */
  readonly now: number;
  /**
   * The platform's data directory (its master key, made here if new): phone
   * numbers are stored sealed under it, as the platform stores them.
   */
  readonly dataDir: string;
}

/** The patients' phone number, in clear and as every seeded row stores it (sealed once, the same width as the platform's). */
const PHONE = '13011111111';

/** Recorded by the platform once every stored number is sealed (src/platform/privacy/seal-existing.ts). */
const SEALED_PASS = 'sealed-patient-numbers';

/** Rows a statement inserts: large enough that a statement's overhead vanishes, small enough to bound memory. */
const CHUNK = 50_000;
const AMOUNT_FEN = 10_000;

/**
 * A paid cash recharge's stored answer and detail, as the platform writes them
 * (the shapes of trades/recharge), with the trace number, the merchant number
 * and the card put in by the database: seeded rows are as wide as real ones.
 */
const ANSWER = RECHARGE_ANSWER.replaceAll(SAMPLE_TRACE_NO, '{T}');
const PATIENT_EXTRA = {
  userSex: '1',
  cardZone: '350200',
  idType: '01',
  mobilePhone: '{P}',
  deskflak: '1',
};
const DETAIL_TEMPLATE = JSON.stringify({
  patient: {
    appid: '{A}',
    cardType: '03',
    cardNo: '{C}',
    accountType: '01',
    hisCustId: 'H{C}',
    userName: '李四',
    idNo: '',
    extra: PATIENT_EXTRA,
  },
  subject: '预交金充值',
  param: {
    operatorId: '001',
    termNo: 'T01',
    operatorName: '张三',
    cardType: '03',
    cardNo: '{C}',
    accountType: '01',
    hisCustId: 'H{C}',
    idNo: '',
    userName: '李四',
    amount: '100.00',
    outChargeNo: '{O}',
    depositType: 'CASH',
    extra: PATIENT_EXTRA,
  },
  history: [{ at: 0, event: 'created' }],
  paidChannel: 'CASH',
  resultDesc: '交易成功',
});

/** The dialect's spelling of the few expressions that differ. */
interface Spelling {
  /** Integers first..last as a row source with column i. */
  series(first: number, last: number): RawBuilder<unknown>;
  /** i as `width` hex digits, zero-padded. */
  hex(i: RawBuilder<unknown>, width: number): RawBuilder<string>;
  /** i as `width` decimal digits, zero-padded. */
  decimal(i: RawBuilder<unknown>, width: number): RawBuilder<string>;
}

const SQLITE: Spelling = {
  series: (first, last) =>
    sql`(with recursive s(i) as (select cast(${first} as integer) union all select i + 1 from s where i < ${last}) select i from s)`,
  hex: (i, width) => sql<string>`printf(${`%0${width}x`}, ${i})`,
  decimal: (i, width) => sql<string>`printf(${`%0${width}d`}, ${i})`,
};

const POSTGRES: Spelling = {
  series: (first, last) => sql`(select i from generate_series(${first}::bigint, ${last}::bigint) as g(i))`,
  hex: (i, width) => sql<string>`lpad(to_hex(${i}), ${width}, '0')`,
  decimal: (i, width) => sql<string>`lpad((${i})::text, ${width}, '0')`,
};

/**
 * Fills a migrated store with `orders` paid cash recharges spread over
 * `accounts` patients' accounts, each with its journal entry, and every
 * account's balance equal to its journal (the ledger's invariant holds). The
 * rows are made by the database itself (a recursive CTE on SQLite,
 * generate_series on PostgreSQL), a chunk a statement, so 10 million orders
 * take minutes, not the hours of one API call each. Seeded numbers
 * (`SEED-<n>`, cards `S<n>`, trace numbers dated 2026-01-01) never meet the
 * platform's own. Phone numbers are sealed under the platform's master key
 * (one sealed value for all rows: the same width as the platform's own).
 */
export async function seedStore(
  store: Store,
  shape: SeedShape,
  progress?: (done: number) => void,
): Promise<void> {
  const s = store.dialect === 'postgres' ? POSTGRES : SQLITE;
  const phone = new PatientData(loadMasterKey({ dataDir: shape.dataDir })).seal(PHONE);
  const DETAIL = DETAIL_TEMPLATE.replaceAll('{P}', phone);
  const i = sql.ref('i');
  const first = shape.now - shape.orders;
  const db = store.db;
  // better-sqlite3 binds a JavaScript number as a REAL: every number here is cast, so
  // divisions are an integer's and times are stored as the platform's (integers).
  const orders = sql`cast(${shape.orders} as bigint)`;
  const accounts = sql`cast(${shape.accounts} as bigint)`;
  for (let from = 0; from < shape.accounts; from += CHUNK) {
    const to = Math.min(shape.accounts, from + CHUNK) - 1;
    // Account j holds orders j, j + M, j + 2M…: (N - 1 - j) / M + 1 of them.
    await sql`insert into accounts (account_no, appid, card_type, card_no, account_type, his_cust_id, user_name,
        id_no, id_type, user_sex, mobile_phone, card_zone, profile, status, balance_fen, created_at, updated_at)
      select 'AS' || ${s.decimal(i, 17)}, ${shape.appid}, '03', 'S' || ${s.decimal(i, 9)}, '01',
        'HS' || ${s.decimal(i, 9)}, '李四', null, '01', '1', ${phone}, '350200',
        '{"address":"","career":"","workUnit":"","birthday":"","hisTraceNo":""}', '01',
        case when i < ${orders} then ((${orders} - 1 - i) / ${accounts} + 1) * ${AMOUNT_FEN} else 0 end,
        cast(${first} as bigint), cast(${shape.now} as bigint)
      from ${s.series(from, to)} as seq`.execute(db);
  }
  for (let from = 0; from < shape.orders; from += CHUNK) {
    const to = Math.min(shape.orders, from + CHUNK) - 1;
    const trace = sql`'20260101000000' || ${s.hex(i, 12)}`;
    const account = sql`'AS' || ${s.decimal(sql`i % ${accounts}`, 17)}`;
    const card = sql`'S' || ${s.decimal(sql`i % ${accounts}`, 9)}`;
    const outNo = sql`'SEED-' || ${s.decimal(i, 10)}`;
    const at = sql`cast(${first} as bigint) + i`;
    await sql`insert into orders (trace_no, appid, kind, out_no, request_hash, state, amount_fen, channel,
        account_no, orig_trace_no, refunded_fen, answer, detail, term_no, created_at, updated_at, finished_at, expire_at)
      select ${trace}, ${shape.appid}, 'recharge', ${outNo}, ${s.hex(i, 32)}, 'succ', ${AMOUNT_FEN}, 'CASH',
        ${account}, null, 0, replace(${ANSWER}, '{T}', ${trace}),
        replace(replace(replace(replace(${DETAIL}, '{A}', ${shape.appid}), '{C}', ${card}), '{O}', ${outNo}), '"at":0', '"at":' || (${at})),
        'T01', ${at}, ${at}, ${at}, ${at} + 900000
      from ${s.series(from, to)} as seq`.execute(db);
    await sql`insert into transfers (trace_no, appid, debit, credit, amount_fen, memo, created_at)
      select ${trace}, ${shape.appid}, 'clearing:CASH:T01', 'deposit:' || ${account}, ${AMOUNT_FEN},
        'recharge ' || ${outNo}, ${at}
      from ${s.series(from, to)} as seq`.execute(db);
    progress?.(to + 1);
  }
  // Every number is stored sealed, so the platform's one-time sealing pass has nothing to do: recorded as done,
  // as a platform that wrote these rows would have (else its first start scans 10 M orders).
  await db
    .insertInto('data_passes')
    .values({ name: SEALED_PASS, done_at: shape.now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  if (store.dialect === 'postgres') await sql`analyze`.execute(db);
}

export interface StorageBytes {
  /** Bytes of the orders table and its indexes, per order row. */
  readonly perOrder: number;
  /** Bytes of the journal (transfers and its indexes), per entry. */
  readonly perJournalEntry: number;
  readonly perAccount: number;
}

/** What a row costs on disk, indexes included: SQLite's dbstat, PostgreSQL's pg_total_relation_size. */
export async function storageBytes(store: Store): Promise<StorageBytes> {
  const db = store.db;
  const rows = async (table: 'orders' | 'transfers' | 'accounts') =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0,
    );
  const bytes = async (table: 'orders' | 'transfers' | 'accounts') => {
    if (store.dialect === 'postgres') {
      const result = await sql<{ b: number }>`select pg_total_relation_size(${table}::regclass) as b`.execute(
        db,
      );
      return Number(result.rows[0]?.b ?? 0);
    }
    // A table's own pages and those of every index on it.
    const result = await sql<{ b: number }>`select sum(pgsize) as b from dbstat where name = ${table}
      or name in (select name from sqlite_master where type = 'index' and tbl_name = ${table})`.execute(db);
    return Number(result.rows[0]?.b ?? 0);
  };
  const per = async (table: 'orders' | 'transfers' | 'accounts') => {
    const n = await rows(table);
    return n === 0 ? 0 : Math.round((await bytes(table)) / n);
  };
  return {
    perOrder: await per('orders'),
    perJournalEntry: await per('transfers'),
    perAccount: await per('accounts'),
  };
}
