import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { saveNotifyConfig } from './config.js';
import { PUSH_NAMES, PUSHES } from './fixtures.test-util.js';

async function counts(t: TestPlatform) {
  const db = t.running.platform.store.db;
  const m = await db
    .selectFrom('notify_messages')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const o = await db
    .selectFrom('outbox')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { messages: Number(m.n), outbox: Number(o.n) };
}

for (const database of TEST_DATABASES) {
  describe(`push transTypes through payclient on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      // A webhook nobody listens on keeps the rows 'ing', so the answer shows the outbox at work.
      await saveNotifyConfig(
        t.running.platform,
        t.appid,
        { centre: true, webhook: { url: 'http://127.0.0.1:9/hook', secret: 'webhook-secret-0123456789' } },
        Date.now(),
        false,
      );
    });
    after(async () => {
      await t?.close();
    });

    for (const name of PUSH_NAMES) {
      it(
        `${name}: accepted, written with its outbox rows, answered notifyState/notifyTime, deduped`,
        availability,
        async () => {
          const before = await counts(t);
          const first = await t.client.call(name, { ...PUSHES[name] });
          assert.equal(first.respCode, '000000', first.respMsg);
          const p = first['param'] as Record<string, string>;
          assert.equal(p['notifyState'], 'ing');
          assert.match(p['notifyTime'] ?? '', /^\d{14}$/);
          const mid = await counts(t);
          assert.deepEqual(mid, { messages: before.messages + 1, outbox: before.outbox + 2 });

          const again = await t.client.call(name, { ...PUSHES[name] });
          assert.equal(again.respCode, '000000');
          assert.deepEqual(await counts(t), mid, 'the same push twice is one message');
          const row = await t.running.platform.store.db
            .selectFrom('notify_messages')
            .selectAll()
            .where('trans_type', '=', name)
            .executeTakeFirstOrThrow();
          const events = await t.running.platform.store.db
            .selectFrom('outbox')
            .select(['event_id', 'topic', 'state'])
            .where('event_id', 'like', `${row.message_id}.%`)
            .orderBy('event_id')
            .execute();
          assert.deepEqual(
            events.map((e) => [e.event_id, e.topic, e.state]),
            [
              [`${row.message_id}.centre`, 'notify.centre', 'succ'],
              [`${row.message_id}.webhook`, 'notify.webhook', 'ing'],
            ],
          );
        },
      );
    }

    it('two identical pushes at the same moment still make one message', availability, async () => {
      const param = { ...PUSHES['hop.inpatient.msg.common'], keyword: '并发测试' };
      const before = await counts(t);
      const answers = await Promise.all(Array.from({ length: 8 }, () => t.client.inpatientCommon(param)));
      for (const a of answers) assert.equal(a.respCode, '000000', a.respMsg);
      const now = await counts(t);
      assert.equal(now.messages, before.messages + 1);
      assert.equal(now.outbox, before.outbox + 2);
    });

    it('mmpay feeType 02 (remote insurance) is recorded but not pushed', availability, async () => {
      const before = await counts(t);
      const a = await t.client.mmpayMsgPush({
        ...PUSHES['hop.mmpay.msg.push'],
        feeType: '02',
        voucherNo: 'REMOTE1',
      });
      assert.equal(a.respCode, '000000', a.respMsg);
      assert.equal((a['param'] as Record<string, string>)['notifyState'], 'fail');
      assert.match(a.respMsg, /不推送/);
      assert.deepEqual(await counts(t), { messages: before.messages + 1, outbox: before.outbox });
    });

    it('drug cancel uses the refund template and requires cancelDesc', availability, async () => {
      const before = await counts(t);
      const bad = await t.client.mmpayPushDrug({ ...PUSHES['hop.mmpay.push.drug'], drugState: 'cancel' });
      assert.equal(bad.respCode, '020001');
      assert.match(bad.respMsg, /cancelDesc/);
      assert.deepEqual(await counts(t), before);
      const ok = await t.client.mmpayPushDrug({
        ...PUSHES['hop.mmpay.push.drug'],
        drugState: 'cancel',
        cancelDesc: '药品退费',
      });
      assert.equal(ok.respCode, '000000', ok.respMsg);
    });

    it('bad inputs get the spec codes and write nothing', availability, async () => {
      const before = await counts(t);
      const bill = PUSHES['hop.inpatient.msg.bill'];
      const cases: [string, Record<string, unknown>, string][] = [
        ['hop.inpatient.msg.bill', { ...bill, endDate: '2019-07-19' }, '020011'],
        ['hop.inpatient.msg.bill', { ...bill, beginDate: '2019-02-30', endDate: '2019-02-30' }, '020011'],
        [
          'hop.inpatient.msg.overpay',
          { ...PUSHES['hop.inpatient.msg.overpay'], complementMoney: '-1' },
          '020003',
        ],
        ['hop.inpatient.msg.overpay', { ...PUSHES['hop.inpatient.msg.overpay'], idNo: '' }, '020001'],
        ['hop.mmpay.msg.push', { ...PUSHES['hop.mmpay.msg.push'], feeType: '09' }, '020000'],
        ['hop.mmpay.msg.push', { ...PUSHES['hop.mmpay.msg.push'], recipeTime: '2019' }, '020011'],
        ['hop.mmpay.push.drug', { ...PUSHES['hop.mmpay.push.drug'], drugState: 'lost' }, '020000'],
      ];
      for (const [name, param, code] of cases) {
        const a = await t.client.call(name as never, param);
        assert.equal(a.respCode, code, `${name} ${JSON.stringify(param).slice(0, 60)}: ${a.respMsg}`);
      }
      assert.deepEqual(await counts(t), before);
    });
  });
}
