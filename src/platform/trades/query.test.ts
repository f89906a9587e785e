import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../client/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRecharge, OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const card = (n: number) => ({
  ...OPERATOR,
  cardType: '03',
  cardNo: `QB${n}`,
  accountType: '01',
});
const param = (answer: Record<string, unknown>) => answer['param'] as Record<string, string>;

for (const database of TEST_DATABASES) {
  describe(`queries at once on ${database.name} (one statement a turn on PostgreSQL)`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let other: PayClient;
    const traceNos: string[] = [];
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const appid = `other${randomBytes(3).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      await t.running.platform.apps.ensure({ name: '另一家医院', appid, secret });
      other = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid,
        appsecret: secret,
        suite: 'SM',
      });
      for (let n = 0; n < 5; n++) {
        const paid = await t.client.recharge(cashRecharge(`QB${n}`, `QB-${n}`, `${n + 1}.00`));
        assert.equal(paid.respCode, '000000', paid.respMsg);
        traceNos.push(param(paid)['traceNo'] as string);
      }
    });
    after(() => t?.close());

    it(
      'each answer is its own order, by number or by trace; another app finds nothing',
      availability,
      async () => {
        const asks = Array.from({ length: 40 }, (_, i) => ({
          n: i % 7,
          byTrace: i % 2 === 0,
          asOther: i % 5 === 4,
        }));
        const answers = await Promise.all(
          asks.map(({ n, byTrace, asOther }) => {
            const client = asOther ? other : t.client;
            const key = byTrace
              ? { traceNo: traceNos[n] ?? `2026${n}`, outTradeNo: '' }
              : { outTradeNo: `QB-${n}` };
            return client.query({ ...card(n), tradeType: 'hop.trade.recharge', ...key });
          }),
        );
        answers.forEach((answer, i) => {
          const { n, asOther } = asks[i] as (typeof asks)[number];
          assert.equal(answer.respCode, '000000', answer.respMsg);
          if (n >= 5 || asOther) {
            assert.equal(param(answer)['result'], 'notfound', `ask ${i}`);
          } else {
            assert.equal(param(answer)['result'], 'succ', `ask ${i}`);
            assert.equal(param(answer)['traceNo'], traceNos[n], `ask ${i}`);
            assert.equal(param(answer)['amount'], `${n + 1}.00`, `ask ${i}`);
          }
        });
      },
    );
  });
}
