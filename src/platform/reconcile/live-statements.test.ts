/**
 * Reconciliation of a live app three ways, per channel: the channel's own
 * statement served by its gateway double from the trades it recorded, the
 * HIS simulator's statement, and the platform's orders. Each kind of
 * difference is seeded once and found once, on both engines.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../client/index.js';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { type ChannelKit, STATEMENT_KITS } from '../../testing/statement-kits.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../his/signature.js';
import { beijingDayOf } from './day.js';
import { listDifferences } from './queue.js';
import { reconcileDay } from './run.js';
import { reconcileDb } from './tables.js';

const KEY = 'his-shared-key-for-live-statements';
const DAY_MS = 86_400_000;
const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });
const p = (a: Record<string, unknown>) => (a['param'] ?? {}) as Record<string, unknown>;

for (const kit of STATEMENT_KITS)
  for (const database of TEST_DATABASES) {
    describe(`${kit.name} statement reconciled three ways on ${database.name}`, async () => {
      const availability = await databaseAvailability(database);
      let t: TestPlatform;
      let sim: Awaited<ReturnType<typeof startHisSim>>;
      let double: Awaited<ReturnType<ChannelKit['start']>>;
      let client: PayClient;
      let appid: string;
      const traces: Record<string, string> = {};
      const day = beijingDayOf(Date.now());
      const ghost = `GHOST${randomBytes(4).toString('hex').toUpperCase()}`;

      const recharge = (cardNo: string, channel: string, amount: string, extra: Record<string, unknown>) =>
        client.recharge({
          ...card(cardNo),
          hisCustId: `H${cardNo}`,
          userName: '李四',
          idNo: '',
          amount,
          outChargeNo: `${cardNo}-C`,
          depositType: channel,
          extra: { deskflak: '1', ...extra },
        });
      /** A barcode payment the channel takes at once and the platform settles. */
      const paid = async (cardNo: string, amount = '10.00') => {
        const answer = await recharge(cardNo, kit.barcode, amount, { authCode: kit.paidCode() });
        assert.equal(answer.respCode, '000000', answer.respMsg);
        return String(p(answer)['traceNo']);
      };

      before(async () => {
        if (availability.skip) return;
        sim = await startHisSim({ key: KEY });
        t = await startTestPlatform(database, {
          settings: {
            barcodePollIntervalMs: 20,
            barcodePollMax: 3,
            refundMinIntervalMs: 0,
            sweepIntervalMs: 3_600_000,
          },
        });
        double = await kit.start();
        appid = `live${randomBytes(4).toString('hex')}`;
        const secret = randomBytes(24).toString('base64url');
        const { platform } = t.running;
        await platform.apps.create({ name: '正式医院', appid, secret, mode: 'live' });
        await platform.credentials.set(appid, kit.gateway, double.config);
        await platform.apps.configure(appid, {
          depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 2000 },
        });
        client = new PayClient({
          serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
          appid,
          appsecret: secret,
        });

        traces['matched'] = await paid('M1');
        traces['refunded'] = await paid('R1', '20.00');
        const refund = await client.refund({
          ...card('R1'),
          hisCustId: 'HR1',
          amount: '5.00',
          withdrawMode: '1',
          refundType: 'hisDecide',
          outChargeNo: 'R1-C',
          outRefundNo: 'R1-R1',
          tradeChannel: kit.barcode,
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
        assert.equal(refund.respCode, '000000', refund.respMsg);
        traces['refund'] = String(p(refund)['traceNo']);
        // The channel booked this payment on the day before: not on today's statement (短款).
        traces['short'] = await paid('S1');
        double.amend(traces['short'], { paidAt: Date.now() - DAY_MS });
        // The channel's books say 9.00 for a 10.00 order.
        traces['amount'] = await paid('A1');
        double.amend(traces['amount'], { totalFen: 900 });
        // Paid at the channel, never told to the platform (no notification, no query yet): still pending here.
        const pending = await recharge('Q1', kit.qr, '3.00', {});
        assert.equal(pending.respCode, '000000', pending.respMsg);
        traces['state'] = String(p(pending)['traceNo']);
        await double.payQuietly(traces['state']);
        // Money at the channel under a number the platform never issued (长款).
        double.ghost(ghost, 1234);
        // The HIS lost one credit and booked one the platform never made.
        traces['hisMissing'] = await paid('HM1');
        const forgot = await fetch(`${sim.url}/_forget`, {
          method: 'POST',
          body: JSON.stringify({ operation: 'credit', traceNo: traces['hisMissing'] }),
        });
        assert.deepEqual(await forgot.json(), { forgotten: true });
        const body = JSON.stringify({
          traceNo: 'HISONLY0001',
          appid,
          cardType: '03',
          cardNo: 'X99',
          accountType: '01',
          hisCustId: 'HX99',
          amount: '7.00',
        });
        const ts = Math.floor(Date.now() / 1000);
        const credited = await fetch(`${sim.url}/credit`, {
          method: 'POST',
          headers: { [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signBody(KEY, ts, body) },
          body,
        });
        assert.equal(((await credited.json()) as { code: string }).code, '0');
      });
      after(async () => {
        if (availability.skip) return;
        await double.close();
        await t.close();
        await sim.close();
      });

      const found = async () =>
        (await listDifferences(t.running.platform, { appid, day }))
          .map((d) => `${d.kind}/${d.source}/${d.trace_no}`)
          .sort();

      it(
        `a ${kit.name} bill that cannot be believed stops the run: a clear message, nothing matched`,
        availability,
        async () => {
          for (const damage of kit.damages) {
            double.damage(damage.kind);
            await assert.rejects(reconcileDay(t.running.platform, appid, day), damage.message);
            assert.deepEqual(await found(), [], `${damage.kind}: no difference recorded`);
            const run = await reconcileDb(t.running.platform.store.db)
              .selectFrom('reconcile_runs')
              .selectAll()
              .where('appid', '=', appid)
              .where('day', '=', day)
              .executeTakeFirstOrThrow();
            assert.equal(run.state, 'failed');
            assert.match(run.error ?? '', damage.message);
          }
          double.damage(undefined);
        },
      );

      it(
        'finds each kind of difference exactly once, and a re-run changes nothing',
        availability,
        async () => {
          const run = await reconcileDay(t.running.platform, appid, day);
          const expected = [
            `amount/channel/${traces['amount']}`,
            'hisExtra/his/HISONLY0001',
            `hisMissing/his/${traces['hisMissing']}`,
            `long/channel/${ghost}`,
            `short/channel/${traces['short']}`,
            `state/channel/${traces['state']}`,
          ].sort();
          assert.deepEqual(await found(), expected);
          assert.deepEqual(run.differences, {
            amount: 1,
            hisExtra: 1,
            hisMissing: 1,
            long: 1,
            short: 1,
            state: 1,
          });
          // On the bill: matched, refunded (its payment and its refund), amount, state, hisMissing, the ghost.
          assert.equal(run.channelLines, 7);
          // The channel agrees on matched, the refunded payment, its refund and hisMissing.
          assert.equal(run.matched.channel, 4);
          const again = await reconcileDay(t.running.platform, appid, day);
          assert.deepEqual(again.differences, run.differences);
          assert.deepEqual(await found(), expected);
        },
      );
    });
  }
