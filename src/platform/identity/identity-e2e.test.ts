import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const face = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  Business_type: '01',
  CardListType: '0',
  extra: {},
};
const auth = {
  outAuthorizeTime: '20190718121742',
  operatorId: '001',
  operatorName: '张三',
  treatmentCode: '010101',
};

/** Plays the patient on a sandbox page: approve (succ), refuse (fail) or cancel, with optional edits. */
async function act(url: string, action: string, fields: Record<string, string> = {}): Promise<number> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, action }).toString(),
  });
  return res.status;
}

for (const database of TEST_DATABASES) {
  describe(`identity: face query and insurance authorisation on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const r = await t.client.recharge({
        operatorId: '001',
        termNo: 'T01',
        operatorName: '张三',
        cardType: '03',
        cardNo: 'D900',
        accountType: '01',
        hisCustId: 'H900',
        userName: '蔡少辉',
        idNo: '350288888888888888',
        amount: '0.03',
        outChargeNo: 'ID-OPEN',
        depositType: 'CASH',
        extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' },
      });
      assert.equal(r.respCode, '000000', r.respMsg);
    });
    after(async () => {
      await t?.close();
    });

    it(
      'face: pending with the face page, then the identity and the health card list (CardListType 1)',
      availability,
      async () => {
        const first = await t.client.faceQuery({ ...face, CardListType: '1', outTradeNo: 'F1' });
        assert.equal(first.respCode, '040038', first.respMsg);
        const url = String((first['param'] as Record<string, unknown>)['qrcode']);
        assert.match(url, /\/id-sandbox\/face\/[A-Za-z0-9_-]{32}$/);
        assert.equal(
          (await t.client.faceQuery({ ...face, CardListType: '1', outTradeNo: 'F1' })).respCode,
          '040038',
        );
        assert.equal(await act(url, 'succ'), 200);
        const done = await t.client.faceQuery({ ...face, CardListType: '1', outTradeNo: 'F1' });
        assert.equal(done.respCode, '000000', done.respMsg);
        const p = done['param'] as Record<string, unknown>;
        assert.equal(p['certName'], '蔡少辉');
        assert.equal(p['certNo'], '350288888888888888');
        assert.equal(p['phone'], '13011111111');
        assert.equal(p['outTradeNo'], 'F1');
        assert.match(String(p['authimg_base_64']), /^[A-Za-z0-9+/=]+$/);
        assert.match(String(p['mindex_id']), /^MI/);
        assert.match(String(p['ehealth_card_id']), /^EHC/);
        assert.equal(p['id_no'], '350288888888888888');
        assert.equal(p['user_name'], '蔡少辉');
        assert.equal(p['SelectCard'], undefined);
        const again = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'action=fail',
        });
        assert.equal(again.status, 409, 'a finished session cannot be changed');
      },
    );

    it(
      'face: HIS card list (CardListType 2) from the deposit accounts; refusal and cancel are 039001',
      availability,
      async () => {
        const first = await t.client.faceQuery({ ...face, CardListType: '2', outTradeNo: 'F2' });
        const url = String((first['param'] as Record<string, unknown>)['qrcode']);
        assert.equal(await act(url, 'succ'), 200);
        const done = await t.client.faceQuery({ ...face, CardListType: '2', outTradeNo: 'F2' });
        assert.equal(done.respCode, '000000', done.respMsg);
        const cards = (done['param'] as Record<string, unknown>)['SelectCard'] as Record<string, string>[];
        assert.equal(cards.length, 1);
        assert.deepEqual(
          { ...cards[0], accountNo: 'x' },
          {
            idNo: '350288888888888888',
            cardNo: 'D900',
            idType: '01',
            balance: '0.03',
            status: '1',
            userSex: '1',
            accountType: '01',
            userName: '蔡少辉',
            accountNo: 'x',
            hisCustID: 'H900',
            cardType: '03',
          },
        );
        for (const [no, action] of [
          ['F3', 'fail'],
          ['F4', 'cancel'],
        ] as const) {
          const f = await t.client.faceQuery({ ...face, outTradeNo: no });
          await act(String((f['param'] as Record<string, unknown>)['qrcode']), action);
          const r = await t.client.faceQuery({ ...face, outTradeNo: no });
          assert.equal(r.respCode, '039001');
        }
        const other = await t.client.faceQuery({ ...face, CardListType: '1', outTradeNo: 'F3' });
        assert.equal(other.respCode, '030001', 'the same outTradeNo with other parameters');
      },
    );

    it(
      'authorisation: ing with the QR page, then succ with the identity; cancel; fail; expiry is fail',
      availability,
      async () => {
        const first = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A1' });
        assert.equal(first.respCode, '000000', first.respMsg);
        const p1 = first['param'] as Record<string, unknown>;
        assert.equal(p1['authStatus'], 'ing');
        const url = String(p1['qrcode']);
        assert.match(url, /\/id-sandbox\/auth\//);
        assert.equal(await act(url, 'succ', { name: '林小梅', idNo: '350203199001011234', sex: '2' }), 200);
        const done = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A1' });
        const p = done['param'] as Record<string, unknown>;
        assert.equal(p['authStatus'], 'succ');
        assert.equal(p['userName'], '林小梅');
        assert.equal(p['idNo'], '350203199001011234');
        assert.equal(p['userSex'], '2');
        for (const field of [
          'idType',
          'mobilePhone',
          'birthday',
          'telephone',
          'address',
          'workUnit',
          'cardType',
          'cardNo',
        ]) {
          assert.ok(field in p, field);
        }

        const cancel = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A2' });
        await act(String((cancel['param'] as Record<string, unknown>)['qrcode']), 'cancel');
        assert.equal(
          (
            (await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A2' }))['param'] as Record<
              string,
              unknown
            >
          )['authStatus'],
          'cancel',
        );
        const refuse = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A3' });
        await act(String((refuse['param'] as Record<string, unknown>)['qrcode']), 'fail');
        assert.equal(
          (
            (await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A3' }))['param'] as Record<
              string,
              unknown
            >
          )['authStatus'],
          'fail',
        );

        const late = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A4' });
        const lateUrl = String((late['param'] as Record<string, unknown>)['qrcode']);
        // Expiry, without waiting five minutes: the session's deadline is moved into the past.
        await t.running.platform.store.db
          .updateTable('identity_sessions')
          .set({ expire_at: Date.now() - 1 })
          .where('out_no', '=', 'A4')
          .execute();
        assert.equal((await fetch(lateUrl)).status, 410);
        const expired = await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'A4' });
        assert.equal((expired['param'] as Record<string, unknown>)['authStatus'], 'fail');
        assert.match(expired.respMsg, /超时/);
      },
    );

    it('bad inputs get spec codes and open no session', availability, async () => {
      const db = t.running.platform.store.db;
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('identity_sessions')
              .select((e) => e.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      assert.equal(
        (await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'B1', treatmentCode: '999' })).respCode,
        '020000',
      );
      assert.equal(
        (await t.client.esccardAuthQr({ ...auth, outAuthorizeNo: 'B1', outAuthorizeTime: '2019' })).respCode,
        '020011',
      );
      assert.equal(
        (await t.client.faceQuery({ ...face, outTradeNo: 'B2', CardListType: '5' })).respCode,
        '020000',
      );
      assert.equal((await t.client.faceQuery({ ...face, outTradeNo: '' })).respCode, '020001');
      assert.equal((await fetch(`${t.running.url}/id-sandbox/face/${'A'.repeat(32)}`)).status, 404);
      assert.equal(await count(), before);
    });
  });
}
