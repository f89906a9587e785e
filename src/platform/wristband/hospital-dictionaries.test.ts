import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRefund, OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const param = (answer: Record<string, unknown>) => answer['param'] as Record<string, string>;

/** A newborn without an ID card: sex not stated (9), a parent's passport (08). */
const newborn = {
  ...OPERATOR,
  cardType: '05',
  cardNo: 'ZY-NB-1',
  accountType: '02',
  hisCustId: 'H-NB-1',
  userName: '王某之子',
  idNo: 'E12345678',
};

for (const database of TEST_DATABASES) {
  describe(`dictionaries as hospitals use them on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let key: string;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(() => t?.closeCheckingLedger());

    it('an account opens for sex 9 and a passport (idType 08), and says so', availability, async () => {
      const opened = await t.client.recharge({
        ...newborn,
        amount: '50.00',
        outChargeNo: 'NB-OPEN',
        depositType: 'CASH',
        extra: { userSex: '9', cardZone: '350200', idType: '08', mobilePhone: '13011111111', deskflak: '1' },
      });
      assert.equal(opened.respCode, '000000', opened.respMsg);
      const info = await t.client.accountInfo({ ...OPERATOR, ...pick(newborn), idNo: newborn.idNo });
      assert.equal(info.respCode, '000000', info.respMsg);
      assert.equal(param(info)['userSex'], '9');
      assert.equal(param(info)['idType'], '08');
    });

    it('getWristbandCode takes idType "1" (its table says Char(1)) as 01', availability, async () => {
      const issued = await t.client.wristbandGetCode({
        ...pick(newborn),
        idNo: newborn.idNo,
        idType: '1',
        operatorId: '001',
        operatorName: '张三',
        hospName: '医院',
        userName: newborn.userName,
      });
      assert.equal(issued.respCode, '000000', issued.respMsg);
      key = param(issued)['key'] as string;
      const stored = await t.running.platform.store.db
        .selectFrom('wristbands')
        .select('id_type')
        .where('wb_key', '=', key)
        .executeTakeFirstOrThrow();
      assert.equal(stored.id_type, '01');
    });

    it(
      'the wristband code works as cardType 07: account, recharge, query, refund',
      availability,
      async () => {
        const byBand = { ...OPERATOR, cardType: '07', cardNo: key, accountType: '02' };
        const info = await t.client.accountInfo(byBand);
        assert.equal(info.respCode, '000000', info.respMsg);
        assert.equal(param(info)['balance'], '50.00');

        const topUp = await t.client.recharge({
          ...byBand,
          hisCustId: newborn.hisCustId,
          userName: newborn.userName,
          amount: '20.00',
          outChargeNo: 'NB-BAND',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        });
        assert.equal(topUp.respCode, '000000', topUp.respMsg);
        assert.equal(param(topUp)['balance'], '70.00');

        const found = await t.client.query({
          ...byBand,
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'NB-BAND',
        });
        assert.equal(param(found)['result'], 'succ', found.respMsg);

        const refund = await t.client.refund({
          ...cashRefund(key, 'NB-BAND', 'NB-BAND-R', '5.00'),
          cardType: '07',
          accountType: '02',
          hisCustId: newborn.hisCustId,
        });
        assert.equal(refund.respCode, '000000', refund.respMsg);
        const after = await t.client.accountInfo({ ...OPERATOR, ...pick(newborn) });
        assert.equal(param(after)['balance'], '65.00');
      },
    );

    it('a cancelled code under 07 no longer reaches the account', availability, async () => {
      assert.equal((await t.client.wristbandCancel({ key })).respCode, '000000');
      const info = await t.client.accountInfo({
        ...OPERATOR,
        cardType: '07',
        cardNo: key,
        accountType: '02',
      });
      assert.notEqual(info.respCode, '000000', 'a cancelled wristband must not name the account');
    });
  });
}

function pick(p: typeof newborn) {
  return { cardType: p.cardType, cardNo: p.cardNo, accountType: p.accountType };
}
