import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_CHANNELS, kindOf } from '../../../protocol/channels.js';
import { CHANNEL } from '../../../protocol/dictionaries.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { openStore, type Store } from '../../store/index.js';
import { HARNESS_PUBLIC_URL, type SandboxHarness, sandboxCode, sandboxHarness } from './harness.js';

const QR_URL = new RegExp(`^${HARNESS_PUBLIC_URL.replace(/[.:/]/g, '\\$&')}/q/([A-Za-z0-9_-]{24})$`);

function tokenOf(qrcode: string | undefined): string {
  const m = QR_URL.exec(qrcode ?? '');
  assert.ok(m, `qrcode ${qrcode} is not a sandbox wallet URL`);
  return m[1]!;
}

const BARCODE_WALLET = { WX_BAR: 'WX', ALI_BAR: 'ALI', UP_BAR: 'UP' } as const;

for (const database of TEST_DATABASES) {
  describe(`sandbox channels on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    let h: SandboxHarness;
    before(async () => {
      if (availability.skip) return;
      store = await database.open();
      h = sandboxHarness(store);
    });
    after(async () => {
      await store?.close();
    });

    it('serves exactly the 19 channel codes of the spec', availability, () => {
      assert.deepEqual([...h.sandbox.channels].sort(), Object.keys(CHANNEL).sort());
      assert.equal(h.sandbox.channels.length, 19);
    });

    it(
      'every channel pays: instant ones at once, QR ones pending with an unguessable URL, barcodes by code',
      availability,
      async () => {
        const tokens = new Set<string>();
        for (const channel of ALL_CHANNELS) {
          const kind = kindOf(channel);
          const wallet =
            channel === 'ONE_BAR' ? 'ALI' : BARCODE_WALLET[channel as keyof typeof BARCODE_WALLET];
          const extra = kind === 'barcode' ? { authCode: sandboxCode(wallet ?? 'WX', 0) } : {};
          const p = h.payment(channel, extra);
          const r = await h.sandbox.pay(p);
          if (kind === 'qr') {
            assert.equal(r.state, 'pending', channel);
            const token = tokenOf(r.qrcode);
            assert.ok(!r.qrcode?.includes(p.traceNo), 'the token is not the trace number');
            tokens.add(token);
            assert.equal(
              (await h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: channel })).state,
              'pending',
            );
          } else {
            assert.equal(r.state, 'success', `${channel}: ${r.message}`);
            assert.equal(r.qrcode, undefined);
            assert.equal(r.paidChannel, channel === 'ONE_BAR' ? 'ALI_BAR' : channel);
            assert.equal(r.paidAt, h.now());
            assert.match(r.channelTradeNo ?? '', /^SBX\d{14}[0-9A-F]{10}$/);
          }
        }
        assert.equal(tokens.size, 13, 'one distinct token per QR-like channel');
      },
    );

    it('pay is idempotent on the trace number', availability, async () => {
      const p = h.payment('ALI_QR');
      const first = await h.sandbox.pay(p);
      const again = await h.sandbox.pay({ ...p, amountFen: 1 });
      assert.equal(again.qrcode, first.qrcode);
      assert.equal(again.channelTradeNo, first.channelTradeNo);
    });

    it(
      'POS answers the masked card, records the terminal, refuses an unknown terminal',
      availability,
      async () => {
        const one = await h.sandbox.pay(h.payment('POS'));
        assert.equal(one.state, 'success');
        assert.match(one.extra?.['BankCardNo'] ?? '', /^6222\*{4}\d{4}$/);
        assert.equal(one.extra?.['BankCardType'], '借记卡');
        assert.equal(one.extra?.['posIssuingBank'], '中国工商银行');
        assert.deepEqual(Object.keys(one.extra ?? {}).sort(), [
          'BankCardNo',
          'BankCardType',
          'posIssuingBank',
        ]);

        const p2 = h.payment('POS', { PosNo: '2', sandboxCardType: '贷记卡' });
        const two = await h.sandbox.pay(p2);
        assert.equal(two.extra?.['BankCardType'], '贷记卡');
        assert.match(two.extra?.['BankCardNo'] ?? '', /^6225\*{4}\d{4}$/);
        const row = await store.db
          .selectFrom('sandbox_payments')
          .select('pos_no')
          .where('trace_no', '=', p2.traceNo)
          .executeTakeFirstOrThrow();
        assert.equal(row.pos_no, '2');
        const p1 = h.payment('POS', { PosNo: '' });
        await h.sandbox.pay(p1);
        const row1 = await store.db
          .selectFrom('sandbox_payments')
          .select('pos_no')
          .where('trace_no', '=', p1.traceNo)
          .executeTakeFirstOrThrow();
        assert.equal(row1.pos_no, '1', 'no terminal means terminal 1');

        const bad = await h.sandbox.pay(h.payment('POS', { PosNo: '3' }));
        assert.equal(bad.state, 'fail');
        assert.match(bad.message ?? '', /POS 终端号 3/);
      },
    );

    it('each barcode channel follows the last digit of the code', availability, async () => {
      const cases: [string, 'WX' | 'ALI' | 'UP'][] = [
        ['WX_BAR', 'WX'],
        ['ALI_BAR', 'ALI'],
        ['UP_BAR', 'UP'],
        ['ONE_BAR', 'WX'],
        ['ONE_BAR', 'ALI'],
        ['ONE_BAR', 'UP'],
      ];
      for (const [channel, wallet] of cases) {
        const paidChannel = `${wallet}_BAR`;
        for (let digit = 0; digit <= 9; digit++) {
          const label = `${channel}/${wallet}/${digit}`;
          const p = h.payment(channel, { authCode: sandboxCode(wallet, digit) });
          const first = await h.sandbox.pay(p);
          const q = () => h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: channel });
          if (digit <= 5) {
            assert.equal(first.state, 'success', label);
            assert.equal(first.paidChannel, paidChannel, label);
            assert.equal((await q()).state, 'success', label);
          } else if (digit === 6) {
            assert.equal(first.state, 'fail', label);
            assert.equal(first.message, '余额不足', label);
            assert.equal((await q()).state, 'fail', label);
          } else if (digit === 7) {
            assert.equal(first.state, 'pending', label);
            assert.equal(first.message, '需要用户输入支付密码', label);
            assert.equal((await q()).state, 'pending', `${label} first query`);
            const second = await q();
            assert.equal(second.state, 'success', `${label} second query`);
            assert.equal(second.paidChannel, paidChannel, label);
            assert.equal((await q()).state, 'success', `${label} stays paid`);
          } else if (digit === 8) {
            assert.equal(first.state, 'pending', label);
            for (let i = 0; i < 10; i++) assert.equal((await q()).state, 'pending', label);
            const cancelled = await h.sandbox.cancel({ appid: 'app1', traceNo: p.traceNo, channel: channel });
            assert.equal(cancelled.state, 'revoked', label);
            assert.equal((await q()).state, 'revoked', label);
          } else {
            assert.equal(first.state, 'unknown', label);
            assert.equal(first.paidChannel, undefined, label);
            const later = await q();
            assert.equal(later.state, 'success', label);
            assert.equal(later.paidChannel, paidChannel, label);
          }
        }
      }
      assert.deepEqual(h.notified, [], 'barcode outcomes are learned by query, never notified');
    });

    it('barcode refusals: missing code, unrecognised code, another wallet’s code', availability, async () => {
      for (const channel of ['WX_BAR', 'ALI_BAR', 'UP_BAR', 'ONE_BAR']) {
        for (const extra of [{}, { authCode: '' }, { authCode: 13 }]) {
          const r = await h.sandbox.pay(h.payment(channel, extra));
          assert.equal(r.state, 'fail', channel);
          assert.equal(r.message, '扩展参数 authCode 为空');
        }
        const r = await h.sandbox.pay(h.payment(channel, { authCode: '9999' }));
        assert.equal(r.state, 'fail');
        assert.equal(r.message, '无法识别的付款码');
      }
      const wrong: [string, string][] = [
        ['WX_BAR', sandboxCode('ALI', 0)],
        ['WX_BAR', sandboxCode('UP', 0)],
        ['ALI_BAR', sandboxCode('WX', 0)],
        ['ALI_BAR', sandboxCode('UP', 0)],
        ['UP_BAR', sandboxCode('WX', 0)],
        ['UP_BAR', sandboxCode('ALI', 0)],
      ];
      for (const [channel, code] of wrong) {
        const p = h.payment(channel, { authCode: code });
        const r = await h.sandbox.pay(p);
        assert.equal(r.state, 'fail', `${channel} ${code}`);
        assert.match(r.message ?? '', /不接受.*付款码/);
        assert.equal(
          (await h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: channel })).state,
          'fail',
        );
      }
    });

    it(
      'close: unpaid → closed and unpayable; paid → success; unknown number → closed for good',
      availability,
      async () => {
        const p = h.payment('WX_QR');
        const token = tokenOf((await h.sandbox.pay(p)).qrcode);
        assert.equal(
          (await h.sandbox.close({ appid: 'app1', traceNo: p.traceNo, channel: 'WX_QR' })).state,
          'closed',
        );
        assert.equal(
          (await h.sandbox.close({ appid: 'app1', traceNo: p.traceNo, channel: 'WX_QR' })).state,
          'closed',
          'closing twice is harmless',
        );
        assert.equal(
          (await h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'WX_QR' })).state,
          'closed',
        );
        const refused = await h.sandbox.payByWallet(token, { wallet: 'wechat' });
        assert.deepEqual(refused, { ok: false, refusal: 'closed', message: '该订单已关闭, 不能再支付' });
        assert.equal((await h.sandbox.walletView(token))?.refusal, 'closed');

        const paid = h.payment('ALI_QR');
        const paidToken = tokenOf((await h.sandbox.pay(paid)).qrcode);
        assert.equal((await h.sandbox.payByWallet(paidToken, { wallet: 'alipay' })).ok, true);
        const closePaid = await h.sandbox.close({ appid: 'app1', traceNo: paid.traceNo, channel: 'ALI_QR' });
        assert.equal(closePaid.state, 'success');
        assert.equal(closePaid.paidChannel, 'ALI_QR');

        const ghost = h.payment('ALI_QR');
        assert.equal(
          (await h.sandbox.query({ appid: 'app1', traceNo: ghost.traceNo, channel: 'ALI_QR' })).state,
          'unknown',
        );
        assert.equal(
          (await h.sandbox.close({ appid: 'app1', traceNo: ghost.traceNo, channel: 'ALI_QR' })).state,
          'closed',
        );
        const late = await h.sandbox.pay(ghost);
        assert.equal(late.state, 'closed', 'a payment arriving after its close is refused');
        assert.equal(late.qrcode, undefined);

        const failed = h.payment('UP_QR');
        const failedToken = tokenOf((await h.sandbox.pay(failed)).qrcode);
        assert.equal((await h.sandbox.payByWallet(failedToken, { fail: true })).ok, true);
        assert.equal(
          (await h.sandbox.close({ appid: 'app1', traceNo: failed.traceNo, channel: 'UP_QR' })).state,
          'closed',
        );
      },
    );

    it(
      'cancel: pending → revoked; paid → revoked and refunded; closed stays closed',
      availability,
      async () => {
        const pending = h.payment('WX_BAR', { authCode: sandboxCode('WX', 8) });
        await h.sandbox.pay(pending);
        assert.equal(
          (await h.sandbox.cancel({ appid: 'app1', traceNo: pending.traceNo, channel: 'WX_BAR' })).state,
          'revoked',
        );
        assert.equal(
          (await h.sandbox.cancel({ appid: 'app1', traceNo: pending.traceNo, channel: 'WX_BAR' })).state,
          'revoked',
        );

        const paid = h.payment('ALI_BAR', { authCode: sandboxCode('ALI', 3) });
        await h.sandbox.pay(paid);
        await h.sandbox.refund(refundOf(paid.traceNo, 'ALI_BAR', 1_000, 'RPART'));
        const revoked = await h.sandbox.cancel({ appid: 'app1', traceNo: paid.traceNo, channel: 'ALI_BAR' });
        assert.equal(revoked.state, 'revoked');
        assert.match(revoked.message ?? '', /款项已退回/);
        const row = await store.db
          .selectFrom('sandbox_payments')
          .select(['refunded_fen', 'amount_fen'])
          .where('trace_no', '=', paid.traceNo)
          .executeTakeFirstOrThrow();
        assert.equal(row.refunded_fen, row.amount_fen, 'the rest was given back');
        const after = await h.sandbox.refund(refundOf(paid.traceNo, 'ALI_BAR', 1, 'RAFTER'));
        assert.equal(after.state, 'fail', 'nothing left to refund after a revoke');

        const closed = h.payment('ALI_QR');
        await h.sandbox.pay(closed);
        await h.sandbox.close({ appid: 'app1', traceNo: closed.traceNo, channel: 'ALI_QR' });
        assert.equal(
          (await h.sandbox.cancel({ appid: 'app1', traceNo: closed.traceNo, channel: 'ALI_QR' })).state,
          'closed',
        );

        const ghost = h.payment('WX_BAR', { authCode: sandboxCode('WX', 0) });
        assert.equal(
          (await h.sandbox.cancel({ appid: 'app1', traceNo: ghost.traceNo, channel: 'WX_BAR' })).state,
          'revoked',
        );
        assert.equal(
          (await h.sandbox.pay(ghost)).state,
          'revoked',
          'a payment arriving after its cancel is refused',
        );
      },
    );

    it('refunds: partial, total, beyond the paid amount, unpaid, wrong channel', availability, async () => {
      const p = h.payment('WX_BAR', { authCode: sandboxCode('WX', 1) }, 10_000);
      await h.sandbox.pay(p);
      const part = await h.sandbox.refund(refundOf(p.traceNo, 'WX_BAR', 3_000, `${p.traceNo}-1`));
      assert.equal(part.state, 'success');
      assert.match(part.channelTradeNo ?? '', /^SBR/);
      assert.equal(part.paidAt, h.now());
      const over = await h.sandbox.refund(refundOf(p.traceNo, 'WX_BAR', 7_001, `${p.traceNo}-2`));
      assert.equal(over.state, 'fail');
      assert.match(over.message ?? '', /超过可退金额/);
      assert.equal(
        (await h.sandbox.refundQuery({ appid: 'app1', traceNo: `${p.traceNo}-2`, channel: 'WX_BAR' })).state,
        'fail',
      );
      const rest = await h.sandbox.refund(refundOf(p.traceNo, 'WX_BAR', 7_000, `${p.traceNo}-3`));
      assert.equal(rest.state, 'success');
      const more = await h.sandbox.refund(refundOf(p.traceNo, 'WX_BAR', 1, `${p.traceNo}-4`));
      assert.equal(more.state, 'fail');
      assert.equal(
        (await h.sandbox.refundQuery({ appid: 'app1', traceNo: `${p.traceNo}-3`, channel: 'WX_BAR' })).state,
        'success',
      );

      const unpaid = h.payment('ALI_QR');
      await h.sandbox.pay(unpaid);
      assert.equal((await h.sandbox.refund(refundOf(unpaid.traceNo, 'ALI_QR', 1, 'RUNPAID'))).state, 'fail');
      assert.equal((await h.sandbox.refund(refundOf('TNOSUCH', 'ALI_QR', 1, 'RNOSUCH'))).state, 'fail');
      const one = h.payment('ONE_BAR', { authCode: sandboxCode('UP', 0) });
      await h.sandbox.pay(one);
      assert.equal((await h.sandbox.refund(refundOf(one.traceNo, 'WX_BAR', 1, 'RWRONG'))).state, 'fail');
      assert.equal((await h.sandbox.refund(refundOf(one.traceNo, 'UP_BAR', 1, 'RPAIDCH'))).state, 'success');
      assert.equal((await h.sandbox.refund(refundOf(one.traceNo, 'ONE_BAR', 1, 'RORIGCH'))).state, 'success');
      assert.equal(
        (await h.sandbox.refundQuery({ appid: 'app1', traceNo: 'RNEVER', channel: 'UP_BAR' })).state,
        'fail',
      );
    });

    it('a refund number never refunds twice, even when sent concurrently', availability, async () => {
      const p = h.payment('CASH', {}, 5_000);
      await h.sandbox.pay(p);
      const r = refundOf(p.traceNo, 'CASH', 2_000, `${p.traceNo}-A`);
      const first = await h.sandbox.refund(r);
      const again = await h.sandbox.refund(r);
      assert.equal(again.state, 'success');
      assert.equal(again.channelTradeNo, first.channelTradeNo);
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => h.sandbox.refund({ ...r, refundTraceNo: `${p.traceNo}-B` })),
      );
      assert.ok(burst.every((b) => b.state === 'success'));
      assert.equal(new Set(burst.map((b) => b.channelTradeNo)).size, 1);
      assert.equal(await refunded(p.traceNo), 4_000);
      const reused = await h.sandbox.refund({ ...r, amountFen: 1 });
      assert.equal(reused.state, 'fail');
      assert.match(reused.message ?? '', /已用于另一笔退款/);
      assert.equal(await refunded(p.traceNo), 4_000);
    });

    it('concurrent refunds of one payment never exceed what was paid', availability, async () => {
      const p = h.payment('POS', {}, 10_000);
      await h.sandbox.pay(p);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          h.sandbox.refund(refundOf(p.traceNo, 'POS', 3_000, `${p.traceNo}-${i}`)),
        ),
      );
      assert.equal(results.filter((r) => r.state === 'success').length, 3);
      assert.equal(results.filter((r) => r.state === 'fail').length, 5);
      assert.equal(await refunded(p.traceNo), 9_000);
    });

    it(
      'injected refund outcomes: fail, unknown, pending, lost, and back to success',
      availability,
      async () => {
        const p = h.payment('ALI_BAR', { authCode: sandboxCode('ALI', 2) }, 10_000);
        await h.sandbox.pay(p);
        const r = (n: string, fen = 1_000) => refundOf(p.traceNo, 'ALI_BAR', fen, `${p.traceNo}-${n}`);

        await h.sandbox.injectRefundOutcome(p.traceNo, 'fail');
        assert.equal((await h.sandbox.refund(r('f'))).state, 'fail');
        assert.equal((await h.sandbox.refund(r('f'))).state, 'fail', 'a failed number stays failed');
        assert.equal(
          (await h.sandbox.refundQuery({ appid: 'app1', traceNo: r('f').refundTraceNo, channel: 'ALI_BAR' }))
            .state,
          'fail',
        );
        assert.equal(await refunded(p.traceNo), 0);

        await h.sandbox.injectRefundOutcome(p.traceNo, 'unknown');
        assert.equal((await h.sandbox.refund(r('u'))).state, 'unknown');
        assert.equal(await refunded(p.traceNo), 1_000, 'the money moved');
        assert.equal(
          (await h.sandbox.refundQuery({ appid: 'app1', traceNo: r('u').refundTraceNo, channel: 'ALI_BAR' }))
            .state,
          'success',
        );
        assert.equal((await h.sandbox.refund(r('u'))).state, 'success', 'resubmission tells the truth');

        await h.sandbox.injectRefundOutcome(p.traceNo, 'pending');
        assert.equal((await h.sandbox.refund(r('p'))).state, 'pending');
        assert.equal(
          (await h.sandbox.refundQuery({ appid: 'app1', traceNo: r('p').refundTraceNo, channel: 'ALI_BAR' }))
            .state,
          'success',
        );
        assert.equal((await h.sandbox.refund(r('p2'))).state, 'pending');
        assert.equal((await h.sandbox.refund(r('p2'))).state, 'success', 'resubmission completes it too');
        assert.equal(await refunded(p.traceNo), 3_000);

        await h.sandbox.injectRefundOutcome(p.traceNo, 'lost');
        assert.equal((await h.sandbox.refund(r('l'))).state, 'unknown');
        assert.equal(
          (await h.sandbox.refundQuery({ appid: 'app1', traceNo: r('l').refundTraceNo, channel: 'ALI_BAR' }))
            .state,
          'fail',
          'never arrived',
        );
        assert.equal(await refunded(p.traceNo), 3_000);

        await h.sandbox.injectRefundOutcome(p.traceNo, null);
        assert.equal(
          (await h.sandbox.refund(r('l'))).state,
          'success',
          'the same number goes through once it arrives',
        );
        assert.equal(await refunded(p.traceNo), 4_000);

        await assert.rejects(h.sandbox.injectRefundOutcome('TNOSUCH', 'fail'), /no payment/);
      },
    );

    it(
      'the wallet pays QR channels, resolves ONE_QR, refuses wrong wallets, and notifies once',
      availability,
      async () => {
        const start = h.notified.length;
        for (const [wallet, paidChannel] of [
          ['alipay', 'ALI_QR'],
          ['wechat', 'WX_QR'],
          ['unionpay', 'UP_QR'],
        ] as const) {
          const p = h.payment('ONE_QR');
          const token = tokenOf((await h.sandbox.pay(p)).qrcode);
          const view = await h.sandbox.walletView(token);
          assert.deepEqual(view?.wallets, ['alipay', 'wechat', 'unionpay']);
          assert.equal(view?.refusal, undefined);
          const paid = await h.sandbox.payByWallet(token, { wallet });
          assert.equal(paid.ok && paid.paidChannel, paidChannel);
          const q = await h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'ONE_QR' });
          assert.equal(q.state, 'success');
          assert.equal(q.paidChannel, paidChannel);
          assert.equal(q.paidAt, h.now());
          assert.equal((await h.sandbox.payByWallet(token, { wallet })).ok, false, 'paying twice is refused');
        }
        assert.equal(h.notified.length - start, 3);

        const ali = h.payment('ALI_PUB');
        const aliToken = tokenOf((await h.sandbox.pay(ali)).qrcode);
        const wrong = await h.sandbox.payByWallet(aliToken, { wallet: 'wechat' });
        assert.equal(!wrong.ok && wrong.refusal, 'wrong_wallet');
        assert.equal(!wrong.ok && wrong.message, '该二维码只能用支付宝支付');
        assert.equal(!(await h.sandbox.payByWallet(aliToken, { wallet: 'paypal' })).ok, true);
        const byDefault = await h.sandbox.payByWallet(aliToken, {});
        assert.equal(byDefault.ok && byDefault.paidChannel, 'ALI_PUB');

        const bank = h.payment('ICBC_QR');
        const bankToken = tokenOf((await h.sandbox.pay(bank)).qrcode);
        const bankPaid = await h.sandbox.payByWallet(bankToken, { wallet: 'unionpay' });
        assert.equal(bankPaid.ok && bankPaid.paidChannel, 'ICBC_QR');
        assert.equal(h.notified.length - start, 5);
        assert.deepEqual(h.notified.slice(-2), [ali.traceNo, bank.traceNo]);
      },
    );

    it('concurrent wallet payments: one wins, notify runs once', availability, async () => {
      const p = h.payment('WX_QR');
      const token = tokenOf((await h.sandbox.pay(p)).qrcode);
      const before = h.notified.length;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          h.sandbox.payByWallet(token, { wallet: 'wechat', fail: i % 2 === 1 }),
        ),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.deepEqual(h.notified.slice(before), [p.traceNo]);
    });

    it('a simulated failure is final and notified; an expired code is refused', availability, async () => {
      const p = h.payment('ALI_FACE');
      const token = tokenOf((await h.sandbox.pay(p)).qrcode);
      const failed = await h.sandbox.payByWallet(token, { fail: true });
      assert.equal(failed.ok && failed.state, 'fail');
      assert.equal(h.notified.at(-1), p.traceNo);
      assert.equal(
        (await h.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'ALI_FACE' })).state,
        'fail',
      );
      assert.equal((await h.sandbox.walletView(token))?.refusal, 'failed');

      const late = h.payment('WX_PUB');
      const lateToken = tokenOf((await h.sandbox.pay(late)).qrcode);
      const count = h.notified.length;
      h.advance(15 * 60_000);
      assert.equal((await h.sandbox.walletView(lateToken))?.refusal, 'expired');
      const refused = await h.sandbox.payByWallet(lateToken, { wallet: 'wechat' });
      assert.deepEqual(refused, {
        ok: false,
        refusal: 'expired',
        message: '二维码已过期, 请让收银员重新下单',
      });
      assert.equal(h.notified.length, count);
      assert.equal(
        (await h.sandbox.query({ appid: 'app1', traceNo: late.traceNo, channel: 'WX_PUB' })).state,
        'pending',
        'the platform closes it',
      );
      assert.equal(await h.sandbox.walletView('no-such-token-at-all'), null);
    });

    it('a failed notify leaves the payment paid and says so', availability, async () => {
      const errors: string[] = [];
      const { SandboxChannels } = await import('./adapter.js');
      const sandbox = new SandboxChannels({
        store,
        publicUrl: () => HARNESS_PUBLIC_URL,
        clock: h.now,
        notify: async () => {
          throw new Error('platform down');
        },
        onNotifyError: (traceNo) => errors.push(traceNo),
      });
      const p = h.payment('UP_QR');
      const token = tokenOf((await sandbox.pay(p)).qrcode);
      const paid = await sandbox.payByWallet(token, { wallet: 'unionpay' });
      assert.equal(paid.ok && paid.notified, false);
      assert.deepEqual(errors, [p.traceNo]);
      assert.equal(
        (await sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'UP_QR' })).state,
        'success',
      );
    });

    async function refunded(traceNo: string): Promise<number> {
      const row = await store.db
        .selectFrom('sandbox_payments')
        .select('refunded_fen')
        .where('trace_no', '=', traceNo)
        .executeTakeFirstOrThrow();
      return row.refunded_fen;
    }
  });

  describe(`sandbox state on ${database.name} survives a restart and is shared between processes`, async () => {
    const availability = await databaseAvailability(database);

    it('a payment made through one store is paid and refunded through another', availability, async () => {
      const shared = await database.shared();
      const open = () =>
        openStore(shared.url, shared.pgSchema ? { pgSchema: shared.pgSchema, pgPoolMax: 2 } : {});
      const a = await open();
      const b = await open();
      try {
        const ha = sandboxHarness(a);
        const hb = sandboxHarness(b);
        const p = ha.payment('ONE_QR');
        const token = tokenOf((await ha.sandbox.pay(p)).qrcode);
        const paid = await hb.sandbox.payByWallet(token, { wallet: 'wechat' });
        assert.equal(paid.ok, true);
        assert.deepEqual(hb.notified, [p.traceNo]);
        assert.equal(
          (await ha.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'ONE_QR' })).paidChannel,
          'WX_QR',
        );
        await a.close();
        const c = await open();
        try {
          const hc = sandboxHarness(c);
          const after = await hc.sandbox.query({ appid: 'app1', traceNo: p.traceNo, channel: 'ONE_QR' });
          assert.equal(after.state, 'success', 'state survives the restart');
          const rx = () => hc.sandbox.refund(refundOf(p.traceNo, 'WX_QR', 6_000, 'RX'));
          const ry = () => hb.sandbox.refund(refundOf(p.traceNo, 'WX_QR', 6_000, 'RY'));
          // Two better-sqlite3 connections in ONE process would block each other's thread
          // on the file lock; separate processes wait their turn, so SQLite runs them in turn.
          const [x, y] =
            database.name === 'postgres' ? await Promise.all([rx(), ry()]) : [await rx(), await ry()];
          assert.deepEqual([x.state, y.state].sort(), ['fail', 'success'], 'two processes never over-refund');
        } finally {
          await c.close();
        }
      } finally {
        await b.close();
        await a.close().catch(() => {});
        await shared.dropSchema();
      }
    });
  });
}

function refundOf(payTraceNo: string, channel: string, amountFen: number, refundTraceNo: string) {
  return {
    refundTraceNo,
    payTraceNo,
    appid: 'app1',
    channel,
    amountFen,
    totalFen: 10_000,
    reason: '测试退款',
  };
}
