/**
 * The whole road through payTrans for a live app with only Alipay configured,
 * against the Alipay gateway double, on both engines.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAppChannelCli } from '../../../cli/app-channel.js';
import { PayClient } from '../../../client/index.js';
import { alipayTestMerchant } from '../../../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble, alipayDoubleCode } from '../../../gateway-doubles/alipay/server.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { OPERATOR } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { sweepPending } from '../../trades/sweep.js';

const opening = { userSex: '2', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

for (const database of TEST_DATABASES) {
  describe(`Alipay through payTrans on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let client: PayClient;
    let appid: string;
    let secret: string;
    let double: AlipayGatewayDouble;
    let config: Record<string, string>;

    const clientOf = (id: string, appsecret: string) =>
      new PayClient({ serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`, appid: id, appsecret });
    const newLiveApp = async () => {
      const id = `live${randomBytes(4).toString('hex')}`;
      const key = randomBytes(24).toString('base64url');
      await t.running.platform.apps.create({ name: '正式医院', appid: id, secret: key, mode: 'live' });
      return { id, key };
    };

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, {
        settings: { barcodePollIntervalMs: 20, barcodePollMax: 3, refundMinIntervalMs: 0, sweepGraceMs: 0 },
      });
      double = new AlipayGatewayDouble();
      ({ config } = alipayTestMerchant(double, await double.listen()));
      ({ id: appid, key: secret } = await newLiveApp());
      client = clientOf(appid, secret);
    });
    after(async () => {
      if (availability.skip) return;
      await double.close();
      await t.closeCheckingLedger();
    });

    const rechargeWith = (
      payer: PayClient,
      cardNo: string,
      outChargeNo: string,
      depositType: string,
      amount = '12.34',
      extra = {},
    ) =>
      payer.recharge({
        ...card(cardNo),
        hisCustId: `H${cardNo}`,
        userName: '李四',
        idNo: '',
        amount,
        outChargeNo,
        depositType,
        extra: { ...opening, ...extra },
      });
    const recharge = (
      cardNo: string,
      outChargeNo: string,
      depositType: string,
      amount = '12.34',
      extra = {},
    ) => rechargeWith(client, cardNo, outChargeNo, depositType, amount, extra);
    const result = async (cardNo: string, outTradeNo: string, tradeType = 'hop.trade.recharge') =>
      p(await client.query({ ...card(cardNo), tradeType, outTradeNo }));

    it(
      'app channel set: a malformed key is refused, the good one is sealed and listed without a secret',
      availability,
      async () => {
        const { platform } = t.running;
        const dir = mkdtempSync(join(tmpdir(), 'alipay-keys-'));
        writeFileSync(join(dir, 'app.pem'), config['privateKey'] ?? '');
        writeFileSync(join(dir, 'alipay.pem'), config['alipayPublicKey'] ?? '');
        writeFileSync(join(dir, 'bad.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
        const pairs = (key: string) => [
          `appId=${config['appId']}`,
          `sellerId=${config['sellerId']}`,
          `privateKey=@${join(dir, key)}`,
          `alipayPublicKey=@${join(dir, 'alipay.pem')}`,
          `gatewayUrl=${config['gatewayUrl']}`,
          'timeoutMs=1500',
        ];
        const lines: string[] = [];
        const out = (line: string) => lines.push(line);
        await assert.rejects(
          runAppChannelCli(platform.store, t.dataDir, ['set', appid, 'alipay', ...pairs('bad.pem')], out),
          /privateKey/,
        );
        assert.deepEqual(await platform.credentials.list(appid), [], 'a refused key is not stored');
        await runAppChannelCli(platform.store, t.dataDir, ['set', appid, 'alipay', ...pairs('app.pem')], out);
        await runAppChannelCli(platform.store, t.dataDir, ['list', appid], out);
        assert.match(lines.at(-1) ?? '', /live\talipay$/);
        const row = await platform.store.db
          .selectFrom('app_gateways')
          .selectAll()
          .where('appid', '=', appid)
          .executeTakeFirstOrThrow();
        const body = (config['privateKey'] ?? '').split('\n')[1] ?? '';
        assert.ok(
          body.length > 20 && !row.config_sealed.includes(body),
          'the private key is sealed, not in clear',
        );
        assert.ok(!lines.join('\n').includes(body), 'never printed');
      },
    );

    it(
      'ALI_QR: the code from Alipay, paid; the notice answered success twice, the order settled once',
      availability,
      async () => {
        const pending = await recharge('A1', 'A1-C', 'ALI_QR');
        assert.equal(pending.respCode, '000000', pending.respMsg);
        const traceNo = String(p(pending)['traceNo']);
        assert.match(String(p(pending)['qrcode']), /^https:\/\/qr\.alipay\.com\//);
        assert.equal((await result('A1', 'A1-C'))['result'], 'ing');
        await double.pay(traceNo, false);
        assert.deepEqual(await double.notify(traceNo, { twice: true }), [
          [200, 'success'],
          [200, 'success'],
        ]);
        const done = await result('A1', 'A1-C');
        assert.equal(done['result'], 'succ', JSON.stringify(done));
        assert.equal(done['tradeMode'], 'ALI_QR');
        assert.equal(double.trade(traceNo)?.total, 1234, 'yuan 12.34 is 12.34 at Alipay');
        const journal = await t.running.platform.store.db
          .selectFrom('transfers')
          .select('amount_fen')
          .where('trace_no', '=', traceNo)
          .execute();
        assert.deepEqual(
          journal.map((r) => Number(r.amount_fen)),
          [1234],
          'booked once for two notices',
        );
      },
    );

    it(
      'forged, replayed-late, and notices about another amount, seller or app move nothing',
      availability,
      async () => {
        const pending = await recharge('A2', 'A2-C', 'ALI_QR', '1.00');
        const traceNo = String(p(pending)['traceNo']);
        await double.pay(traceNo, false);
        for (const options of [
          { forged: true },
          { ageSeconds: 27 * 3600 },
          { amountFen: 1 },
          { sellerId: '2088000000000000' },
          { appId: '2021000000000000' },
        ])
          assert.deepEqual(await double.notify(traceNo, options), [[200, 'fail']], JSON.stringify(options));
        assert.equal((await result('A2', 'A2-C'))['result'], 'ing');
      },
    );

    it(
      'ALI_BAR: paid at once, password then paid, paying until cancelled, declined',
      availability,
      async () => {
        const paid = await recharge('A3', 'A3-C', 'ALI_BAR', '1.00', { authCode: alipayDoubleCode('paid') });
        assert.equal(paid.respCode, '000000', paid.respMsg);
        assert.equal(p(paid)['tradeMode'], 'ALI_BAR');
        const password = await recharge('A4', 'A4-C', 'ALI_BAR', '1.00', {
          authCode: alipayDoubleCode('password'),
        });
        assert.equal(password.respCode, '000000', password.respMsg);
        assert.equal((await result('A4', 'A4-C'))['result'], 'succ');
        const stuck = await recharge('A5', 'A5-C', 'ALI_BAR', '1.00', {
          authCode: alipayDoubleCode('paying'),
        });
        assert.equal(stuck.respCode, '032002', stuck.respMsg);
        const stuckNow = await result('A5', 'A5-C');
        assert.equal(stuckNow['result'], 'fail');
        assert.equal(
          double.trade(String(stuckNow['traceNo']))?.status,
          'TRADE_CLOSED',
          'cancelled at Alipay, so it can never be paid later',
        );
        const declined = await recharge('A6', 'A6-C', 'ALI_BAR', '1.00', {
          authCode: alipayDoubleCode('declined'),
        });
        assert.equal(declined.respCode, '032002', declined.respMsg);
        assert.match(declined.respMsg, /BUYER_BALANCE_NOT_ENOUGH/);
      },
    );

    it(
      'an unpaid ALI_QR order past its time is expired at Alipay and closed by the sweep',
      availability,
      async () => {
        await t.running.platform.apps.configure(appid, { orderTtlMinutes: 0 });
        try {
          const pending = await recharge('A7', 'A7-C', 'ALI_QR', '2.00');
          const traceNo = String(p(pending)['traceNo']);
          const stats = await sweepPending(t.running.platform);
          assert.ok(stats.closed >= 1, JSON.stringify(stats));
          assert.equal((await result('A7', 'A7-C'))['result'], 'closed');
          assert.equal(double.trade(traceNo)?.status, 'TRADE_CLOSED');
          await assert.rejects(
            double.pay(traceNo, false),
            /TRADE_CLOSED/,
            'the patient can no longer pay it',
          );
        } finally {
          await t.running.platform.apps.configure(appid, {});
        }
      },
    );

    it('refund partial, then the rest, back to Alipay', availability, async () => {
      const paid = await recharge('A8', 'A8-C', 'ALI_BAR', '10.00', { authCode: alipayDoubleCode('paid') });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      const refund = (outRefundNo: string, amount: string) =>
        client.refund({
          ...card('A8'),
          hisCustId: 'HA8',
          amount,
          withdrawMode: '1',
          refundType: 'hisDecide',
          outChargeNo: 'A8-C',
          outRefundNo,
          tradeChannel: 'ALI_BAR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
      const part = await refund('A8-R1', '4.00');
      assert.equal(part.respCode, '000000', part.respMsg);
      assert.equal((await result('A8', 'A8-R1', 'hop.trade.refund'))['result'], 'succ');
      const rest = await refund('A8-R2', '6.00');
      assert.equal(rest.respCode, '000000', rest.respMsg);
      const trade = double.trade(String(p(paid)['traceNo']));
      assert.equal(trade?.refunded, 1000, 'all 10.00 went back at Alipay');
      assert.equal(trade?.status, 'TRADE_CLOSED', 'refunded in full, Alipay closes the trade');
    });

    for (const [c, mode] of [
      ['A11', 'error5xx'],
      ['A12', 'lost'],
    ] as const)
      it(
        `a refund Alipay did not answer (${mode}) stays in flight and the sweep settles it, once`,
        availability,
        async () => {
          const paid = await recharge(c, `${c}-C`, 'ALI_BAR', '5.00', {
            authCode: alipayDoubleCode('paid'),
          });
          assert.equal(paid.respCode, '000000', paid.respMsg);
          double.mode = mode;
          let answer: Record<string, unknown>;
          try {
            answer = await client.refund({
              ...card(c),
              hisCustId: `H${c}`,
              amount: '3.00',
              withdrawMode: '1',
              refundType: 'hisDecide',
              outChargeNo: `${c}-C`,
              outRefundNo: `${c}-R1`,
              tradeChannel: 'ALI_BAR',
              refundDeskMode: '1',
              extra: { deskflak: '1' },
            });
          } finally {
            double.mode = 'normal';
          }
          assert.notEqual(answer['respCode'], '000000', 'not called done while unknown');
          assert.notEqual(
            (await result(c, `${c}-R1`, 'hop.trade.refund'))['result'],
            'fail',
            'unknown is never failure',
          );
          const stats = await sweepPending(t.running.platform);
          assert.ok(stats.refunds >= 1, JSON.stringify(stats));
          assert.equal((await result(c, `${c}-R1`, 'hop.trade.refund'))['result'], 'succ');
          await sweepPending(t.running.platform);
          assert.equal(double.trade(String(p(paid)['traceNo']))?.refunded, 300, 'refunded once at Alipay');
        },
      );

    it(
      'an app with only Alipay takes ALI_QR, ALI_BAR, ONE_BAR (Alipay codes) and ONE_QR, and refuses WX_* and UP_* with 020007',
      availability,
      async () => {
        assert.equal((await recharge('A9', 'A9-Q', 'ALI_QR', '1.00')).respCode, '000000');
        assert.equal(
          (await recharge('A9', 'A9-B', 'ALI_BAR', '1.00', { authCode: alipayDoubleCode('paid') })).respCode,
          '000000',
        );
        const oneBar = await recharge('A9', 'A9-OB', 'ONE_BAR', '1.00', {
          authCode: alipayDoubleCode('paid'),
        });
        assert.equal(oneBar.respCode, '000000', oneBar.respMsg);
        assert.equal(p(oneBar)['tradeMode'], 'ALI_BAR', 'the one barcode names the wallet that paid');
        const oneQr = await recharge('A9', 'A9-OQ', 'ONE_QR', '1.00');
        assert.equal(oneQr.respCode, '000000', oneQr.respMsg);
        assert.match(
          String(p(oneQr)['qrcode']),
          /^https:\/\/qr\.alipay\.com\//,
          'the only QR wallet takes the one QR',
        );
        const wechatCode = await recharge('A9', 'A9-OW', 'ONE_BAR', '1.00', {
          authCode: '134567890123456780',
        });
        assert.equal(
          wechatCode.respCode,
          '032002',
          `a WeChat code, no WeChat Pay here: ${wechatCode.respMsg}`,
        );
        for (const [code, extra] of [
          ['WX_QR', {}],
          ['WX_BAR', { authCode: '134567890123456780' }],
          ['UP_QR', {}],
          ['UP_BAR', { authCode: '6212345678901234567' }],
        ] as const) {
          const answer = await recharge('A9', `A9-${code}`, code, '1.00', extra);
          assert.equal(answer.respCode, '020007', `${code}: ${answer.respMsg}`);
        }
      },
    );

    it(
      'requests signed with a key Alipay does not know: the spec’s failure code, never success',
      availability,
      async () => {
        const { id, key } = await newLiveApp();
        const payer = clientOf(id, key);
        const unset = await rechargeWith(payer, 'A10', 'A10-0', 'ALI_QR', '1.00');
        assert.equal(unset.respCode, '020007', 'nothing configured yet');
        const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        await t.running.platform.credentials.set(id, 'alipay', {
          ...config,
          privateKey: stranger.export({ type: 'pkcs8', format: 'pem' }).toString(),
        });
        const before = double.refusedSignatures.length;
        const bar = await rechargeWith(payer, 'A10', 'A10-C', 'ALI_BAR', '1.00', {
          authCode: alipayDoubleCode('paid'),
        });
        assert.equal(bar.respCode, '032002', bar.respMsg);
        assert.match(bar.respMsg, /invalid-signature/);
        assert.ok(double.refusedSignatures.length > before, 'the double refused the request');
      },
    );
  });
}
