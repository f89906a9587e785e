/**
 * Patients' ID and phone numbers at rest (PIPL): a copied database holds
 * neither in clear, nor a plain hash that could be brute-forced back to an ID
 * number; every answer that names them still does, look-ups by ID number
 * still find the patient, and rows written before sealing are sealed once by
 * the start pass without breaking a retry of an old request.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { legacyParamHash } from '../../src/platform/identity/sessions.js';
import { dedupeKey } from '../../src/platform/notify/messages.js';
import { isSealed, PatientData } from '../../src/platform/privacy/patient-data.js';
import { sealExistingPatientNumbers } from '../../src/platform/privacy/seal-existing.js';
import { legacyRequestHash, requestHash } from '../../src/platform/trades/orders.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const ID_NO = '350203198807074417';
const PHONE = '13959212345';
const OTHER_ID = '350203199912120021';

const TABLES = ['accounts', 'orders', 'notify_messages', 'wristbands', 'identity_sessions'] as const;

const recharge = () => ({
  ...cashRecharge('PN1', 'PN1-C', '66.00'),
  idNo: ID_NO,
  userName: '陈一鸣',
  extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: PHONE, deskflak: '1' },
});
const push = {
  cardType: '03',
  cardNo: 'PN1',
  contactNumber: PHONE,
  userName: '陈一鸣',
  idNo: ID_NO,
  inpatientNo: '88',
  keyword: '明日复查',
  first: '复查提醒',
  remark: '请空腹',
};
const wristband = {
  cardType: '03',
  cardNo: 'PN1',
  idNo: ID_NO,
  idType: '01',
  operatorId: '001',
  operatorName: '张三',
  accountType: '01',
  hospName: '厦门市第一医院',
  userName: '陈一鸣',
};
const face = {
  ...OPERATOR,
  Business_type: '01',
  CardListType: '2',
  outTradeNo: 'PN-F1',
  extra: { idNo: ID_NO },
};

/** Every row of the tables that hold patients, as text: what a copied database file gives away. */
async function everyRow(t: TestPlatform): Promise<string> {
  const db = t.running.platform.store.db;
  const rows = await Promise.all(TABLES.map((table) => db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(rows);
}

function assertNothingInClear(dump: string): void {
  for (const number of [ID_NO, PHONE])
    assert.ok(!dump.includes(number), `${number} lies in the database in clear`);
  // Nor as an unkeyed hash an attacker could compute from a guessed number.
  const plainHash = createHash('sha256').update(ID_NO).digest('hex');
  assert.ok(!dump.includes(plainHash.slice(0, 32)));
}

async function paramOf(answer: Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const got = await answer;
  assert.equal(got['respCode'], '000000', String(got['respMsg']));
  return (got['param'] ?? {}) as Record<string, unknown>;
}

/** Verifies the face session on its page, as the patient's phone would. */
async function verifyFace(url: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'succ' }).toString(),
  });
  assert.equal(res.status, 200);
}

/** Puts every row back as a platform before sealing wrote it: numbers and hashes in clear. */
async function unsealAsBefore(t: TestPlatform): Promise<void> {
  const { db } = t.running.platform.store;
  const numbers = t.running.platform.patientData;
  await db.updateTable('accounts').set({ id_no: ID_NO, id_no_hash: null, mobile_phone: PHONE }).execute();
  await db.updateTable('wristbands').set({ id_no: ID_NO }).execute();
  for (const o of await db.selectFrom('orders').select(['trace_no', 'detail']).execute()) {
    const detail = numbers.openFields(JSON.parse(o.detail) as Record<string, unknown>);
    const param = detail['param'] as Record<string, unknown> | undefined;
    await db
      .updateTable('orders')
      .set({ detail: JSON.stringify(detail), ...(param ? { request_hash: legacyRequestHash(param) } : {}) })
      .where('trace_no', '=', o.trace_no)
      .execute();
  }
  for (const m of await db.selectFrom('notify_messages').selectAll().execute()) {
    const param = numbers.openFields(JSON.parse(m.param) as Record<string, unknown>);
    await db
      .updateTable('notify_messages')
      .set({
        id_no: ID_NO,
        id_no_hash: null,
        param: JSON.stringify(param),
        dedupe_key: dedupeKey(m.trans_type, param, m.created_at),
      })
      .where('message_id', '=', m.message_id)
      .execute();
  }
  for (const s of await db.selectFrom('identity_sessions').selectAll().execute()) {
    const request = numbers.openFields(JSON.parse(s.request) as Record<string, unknown>);
    const result = s.result === null ? null : JSON.stringify(numbers.openFields(JSON.parse(s.result)));
    await db
      .updateTable('identity_sessions')
      .set({ request: JSON.stringify(request), request_hash: legacyParamHash(request), result })
      .where('session_id', '=', s.session_id)
      .execute();
  }
  await db.deleteFrom('data_passes').execute();
  assert.ok((await everyRow(t)).includes(ID_NO), 'the rows are back in clear');
}

for (const database of TEST_DATABASES) {
  describe(`patient ID and phone numbers at rest, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let traceNo = '';
    let faceUrl = '';
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      traceNo = String((await paramOf(t.client.recharge(recharge())))['traceNo']);
      await paramOf(t.client.call('hop.inpatient.msg.common', push));
      await paramOf(t.client.call('portal.wb.getWristbandCode', wristband));
      const first = await t.client.faceQuery(face);
      faceUrl = String((first['param'] as Record<string, unknown>)['qrcode']);
      await verifyFace(faceUrl);
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    const answersNameThePatient = async () => {
      const info = await paramOf(
        t.client.call('hop.account.info', {
          ...OPERATOR,
          cardType: '03',
          cardNo: 'PN1',
          accountType: '01',
          idNo: ID_NO,
        }),
      );
      assert.equal(info['idNo'], ID_NO);
      const wrong = await t.client.call('hop.account.info', {
        ...OPERATOR,
        cardType: '03',
        cardNo: 'PN1',
        accountType: '01',
        idNo: OTHER_ID,
      });
      assert.equal(wrong.respCode, '031003', 'another ID number is still told apart');
      const band = await paramOf(t.client.call('portal.wb.getWristbandCode', wristband));
      const account = await paramOf(t.client.call('portal.wb.queryAccount', { key: band['key'] }));
      assert.equal(account['idNo'], ID_NO);
      // Face identity finds the patient's cards by ID number: through the keyed hash.
      const found = await paramOf(t.client.faceQuery(face));
      const cards = found['SelectCard'] as Record<string, string>[];
      assert.deepEqual(
        cards.map((c) => [c['cardNo'], c['idNo']]),
        [['PN1', ID_NO]],
      );
      assert.equal(found['certNo'], ID_NO);
      // A retry of the recharge is the same order; the same number with another ID number is not.
      const again = await paramOf(t.client.recharge(recharge()));
      assert.equal(again['traceNo'], traceNo);
      const other = await t.client.recharge({ ...recharge(), idNo: OTHER_ID });
      assert.equal(other.respCode, '030001', other.respMsg);
      // The same push again is still one message.
      await paramOf(t.client.call('hop.inpatient.msg.common', push));
      const messages = await t.running.platform.store.db
        .selectFrom('notify_messages')
        .select('message_id')
        .execute();
      assert.equal(messages.length, 1);
    };

    it('no ID or phone number in clear in any row; every answer still names them', availability, async () => {
      assertNothingInClear(await everyRow(t));
      const account = await t.running.platform.store.db
        .selectFrom('accounts')
        .selectAll()
        .executeTakeFirstOrThrow();
      assert.ok(
        account.id_no && isSealed(account.id_no) && account.mobile_phone && isSealed(account.mobile_phone),
      );
      await answersNameThePatient();
      assertNothingInClear(await everyRow(t));
    });

    it(
      'rows from before sealing are sealed once at start, and old retries still match',
      availability,
      async () => {
        await unsealAsBefore(t);
        const { platform } = t.running;
        const db = platform.store.db;
        const changed = await sealExistingPatientNumbers(db, platform.patientData, platform.clock());
        assert.ok(changed >= 5, `rows sealed: ${changed}`);
        assertNothingInClear(await everyRow(t));
        await answersNameThePatient();
        assert.equal(await sealExistingPatientNumbers(db, platform.patientData, platform.clock()), 0, 'once');
        await db.deleteFrom('data_passes').execute();
        assert.equal(
          await sealExistingPatientNumbers(db, platform.patientData, platform.clock()),
          0,
          'a second pass finds nothing left to seal',
        );
      },
    );
  });
}

describe('the keyed request hash', () => {
  it('a request without numbers hashes as before; one with an ID number only under the key', () => {
    const numbers = new PatientData(randomBytes(32));
    const plain = { cardNo: 'X1', amount: '1.00', extra: { note: 'a' } };
    assert.equal(requestHash(plain, numbers), legacyRequestHash(plain));
    const named = { ...plain, idNo: ID_NO, extra: { mobilePhone: PHONE } };
    assert.notEqual(requestHash(named, numbers), legacyRequestHash(named));
    assert.notEqual(requestHash(named, numbers), requestHash(named, new PatientData(randomBytes(32))));
    assert.notEqual(requestHash(named, numbers), requestHash({ ...named, idNo: OTHER_ID }, numbers));
  });
});
