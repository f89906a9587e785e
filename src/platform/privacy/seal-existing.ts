import type { Kysely } from 'kysely';
import { legacyParamHash, paramHash } from '../identity/sessions.js';
import { dedupeKey } from '../notify/messages.js';
import type { Schema } from '../store/index.js';
import { legacyRequestHash, requestHash } from '../trades/orders.js';
import { isSealed, type PatientData } from './patient-data.js';

/** Recorded in `data_passes` once every row is sealed, so later starts skip the scan. */
const PASS = 'sealed-patient-numbers';
const BATCH = 500;

type Db = Kysely<Schema>;
type Json = Record<string, unknown>;

/**
 * Seals the ID and phone numbers of rows written before migration 0012, and
 * re-keys the hashes computed over them, once per database. Safe beside a
 * running platform: each row is rewritten only if it still holds what was
 * read (a concurrent change wins and the row is sealed by its own writer),
 * and only the columns that carry numbers are touched. Answers the number of
 * rows changed.
 */
export async function sealExistingPatientNumbers(db: Db, numbers: PatientData, now: number): Promise<number> {
  const done = await db.selectFrom('data_passes').select('name').where('name', '=', PASS).executeTakeFirst();
  if (done) return 0;
  const changed =
    (await sealAccounts(db, numbers)) +
    (await sealWristbands(db, numbers)) +
    (await sealMessages(db, numbers)) +
    (await sealSessions(db, numbers)) +
    (await sealOrders(db, numbers));
  await db
    .insertInto('data_passes')
    .values({ name: PASS, done_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return changed;
}

/** Pages through a table by its key, so memory stays bounded whatever its size. */
async function eachPage<T extends { key: string }>(
  page: (after: string) => Promise<T[]>,
  visit: (row: T) => Promise<boolean>,
): Promise<number> {
  let after = '';
  let changed = 0;
  for (;;) {
    const rows = await page(after);
    for (const row of rows) if (await visit(row)) changed += 1;
    if (rows.length < BATCH) return changed;
    after = rows[rows.length - 1]?.key ?? after;
  }
}

function needsSealing(value: string | null): value is string {
  return value !== null && value !== '' && !isSealed(value);
}

async function sealAccounts(db: Db, numbers: PatientData): Promise<number> {
  return eachPage(
    (after) =>
      db
        .selectFrom('accounts')
        .select(['account_no as key', 'id_no', 'id_no_hash', 'mobile_phone'])
        .where('account_no', '>', after)
        .orderBy('account_no')
        .limit(BATCH)
        .execute(),
    async (row) => {
      if (!needsSealing(row.id_no) && !needsSealing(row.mobile_phone) && (row.id_no_hash || !row.id_no)) {
        return false;
      }
      let q = db
        .updateTable('accounts')
        .set({
          id_no: row.id_no && numbers.seal(row.id_no),
          id_no_hash: row.id_no ? numbers.lookupHash(row.id_no) : null,
          mobile_phone: row.mobile_phone && numbers.seal(row.mobile_phone),
        })
        .where('account_no', '=', row.key);
      q = row.id_no === null ? q.where('id_no', 'is', null) : q.where('id_no', '=', row.id_no);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  );
}

async function sealWristbands(db: Db, numbers: PatientData): Promise<number> {
  return eachPage(
    (after) =>
      db
        .selectFrom('wristbands')
        .select(['wb_key as key', 'id_no'])
        .where('wb_key', '>', after)
        .orderBy('wb_key')
        .limit(BATCH)
        .execute(),
    async (row) => {
      if (!needsSealing(row.id_no)) return false;
      const result = await db
        .updateTable('wristbands')
        .set({ id_no: numbers.seal(row.id_no) })
        .where('wb_key', '=', row.key)
        .where('id_no', '=', row.id_no)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  );
}

async function sealMessages(db: Db, numbers: PatientData): Promise<number> {
  return eachPage(
    (after) =>
      db
        .selectFrom('notify_messages')
        .select([
          'message_id as key',
          'trans_type',
          'dedupe_key',
          'id_no',
          'id_no_hash',
          'param',
          'created_at',
        ])
        .where('message_id', '>', after)
        .orderBy('message_id')
        .limit(BATCH)
        .execute(),
    async (row) => {
      // Sealing keeps what is already sealed (a value sealed again would differ, and be rewritten).
      const stored = JSON.parse(row.param) as Json;
      const plain = numbers.openFields(stored);
      const param = JSON.stringify(numbers.sealFields(stored));
      const idNo = numbers.open(row.id_no);
      // The same push again must still find this message: its key is re-keyed the way new ones are made.
      const legacyKey = dedupeKey(row.trans_type, plain, row.created_at);
      const key =
        row.dedupe_key === legacyKey
          ? dedupeKey(row.trans_type, numbers.hashableFields(plain), row.created_at)
          : row.dedupe_key;
      const sealedIdNo = numbers.seal(row.id_no);
      if (param === row.param && sealedIdNo === row.id_no && key === row.dedupe_key && row.id_no_hash)
        return false;
      const result = await db
        .updateTable('notify_messages')
        .set({
          id_no: sealedIdNo,
          id_no_hash: numbers.lookupHash(idNo) || null,
          param,
          dedupe_key: key,
        })
        .where('message_id', '=', row.key)
        .where('param', '=', row.param)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  );
}

async function sealSessions(db: Db, numbers: PatientData): Promise<number> {
  return eachPage(
    (after) =>
      db
        .selectFrom('identity_sessions')
        .select(['session_id as key', 'request', 'request_hash', 'result'])
        .where('session_id', '>', after)
        .orderBy('session_id')
        .limit(BATCH)
        .execute(),
    async (row) => {
      const stored = JSON.parse(row.request) as Json;
      const plain = numbers.openFields(stored);
      const request = JSON.stringify(numbers.sealFields(stored));
      const result = row.result === null ? null : JSON.stringify(numbers.sealFields(JSON.parse(row.result)));
      const hash = row.request_hash === legacyParamHash(plain) ? paramHash(plain, numbers) : row.request_hash;
      if (request === row.request && result === row.result && hash === row.request_hash) return false;
      let q = db
        .updateTable('identity_sessions')
        .set({ request, result, request_hash: hash })
        .where('session_id', '=', row.key)
        .where('request', '=', row.request);
      q = row.result === null ? q.where('result', 'is', null) : q.where('result', '=', row.result);
      const moved = await q.executeTakeFirst();
      return Number(moved.numUpdatedRows) === 1;
    },
  );
}

async function sealOrders(db: Db, numbers: PatientData): Promise<number> {
  return eachPage(
    (after) =>
      db
        .selectFrom('orders')
        .select(['trace_no as key', 'request_hash', 'detail'])
        .where('trace_no', '>', after)
        .orderBy('trace_no')
        .limit(BATCH)
        .execute(),
    async (row) => {
      const stored = JSON.parse(row.detail) as Json;
      const plain = numbers.openFields(stored);
      const detail = JSON.stringify(numbers.sealFields(stored));
      const param = plain['param'];
      // A retry of an order made before must still be recognised as the same request.
      const hash =
        param && typeof param === 'object' && row.request_hash === legacyRequestHash(param as Json)
          ? requestHash(param as Json, numbers)
          : row.request_hash;
      if (detail === row.detail && hash === row.request_hash) return false;
      const result = await db
        .updateTable('orders')
        .set({ detail, request_hash: hash })
        .where('trace_no', '=', row.key)
        .where('detail', '=', row.detail)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  );
}
