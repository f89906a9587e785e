import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type {
  ChannelAdapter,
  ChannelPayment,
  ChannelResult,
  PaymentRef,
} from '../platform/channels/types.js';

/**
 * What the conformance suite needs besides the adapter: a way to play the
 * patient and the channel's side (the sandbox's wallet, a gateway double),
 * so the same assertions hold whoever serves the channel.
 */
interface ConformanceDriver {
  readonly adapter: ChannelAdapter;
  readonly appid: string;
  /** A QR channel and a barcode channel this adapter serves, to exercise. */
  readonly qrChannel: string;
  readonly barcodeChannel: string;
  /** A payment code of the barcode channel that pays at once, is declined, or stays "paying" until cancelled. */
  code(outcome: 'paid' | 'declined' | 'paying'): string;
  /** The patient pays a pending QR payment with the wallet. */
  payQr(payment: ChannelPayment, created: ChannelResult): Promise<void>;
  /** The driver's own moment (a double or a sandbox may run a clock of its own). */
  now(): number;
  /**
   * For a channel that cannot close an unpaid payment (UnionPay's QR codes
   * end at their payTimeout): let the payment's time run out before it is closed.
   */
  expire?(payment: ChannelPayment): Promise<void>;
}

interface ConformanceTarget {
  /** Set up the adapter and its driver; skip (with the reason) when what it needs is missing. */
  open(): Promise<ConformanceDriver>;
  close(): Promise<void>;
  readonly skip?: string | false;
}

function payment(driver: ConformanceDriver, channel: string, amountFen: number, extra = {}): ChannelPayment {
  return {
    traceNo: `C${randomBytes(9).toString('hex')}`,
    appid: driver.appid,
    channel,
    amountFen,
    subject: '预交金充值',
    termNo: 'T01',
    extra,
    expireAt: driver.now() + 15 * 60_000,
  };
}

function ref(p: ChannelPayment): PaymentRef {
  return { appid: p.appid, traceNo: p.traceNo, channel: p.channel };
}

/**
 * The adapter conformance suite: every channel adapter (the sandbox, Alipay,
 * WeChat Pay, UnionPay…) must pass it. It states the contract the trades rely
 * on: `unknown` is never claimed as an outcome the channel did not give,
 * closing a paid payment says so, refunds never exceed the payment, and every
 * call is idempotent on its trace number.
 */
export function adapterConformance(name: string, target: ConformanceTarget): void {
  describe(`channel adapter conformance: ${name}`, () => {
    const skip = target.skip ? { skip: target.skip } : {};
    let d: ConformanceDriver;
    before(async () => {
      if (!target.skip) d = await target.open();
    });
    after(async () => {
      if (!target.skip) await target.close();
    });

    it(
      'QR: pending with a code to scan, paid once the patient pays, and pay again is the same payment',
      skip,
      async () => {
        const p = payment(d, d.qrChannel, 1234);
        const created = await d.adapter.pay(p);
        assert.equal(created.state, 'pending');
        assert.ok(created.qrcode, 'a QR payment carries the code to show');
        assert.equal((await d.adapter.query(ref(p))).state, 'pending');
        await d.payQr(p, created);
        const paid = await d.adapter.query(ref(p));
        assert.equal(paid.state, 'success', paid.message);
        assert.ok(paid.channelTradeNo, 'the channel names its transaction, for reconciliation');
        assert.ok(paid.paidChannel, 'the wallet that paid is named');
        const again = await d.adapter.pay(p);
        assert.equal(again.state, 'success', 'the same trace number is the same payment, never a second one');
        assert.equal(again.channelTradeNo, paid.channelTradeNo);
      },
    );

    it('close: an unpaid payment closes and stays closed; a paid one answers success', skip, async () => {
      const unpaid = payment(d, d.qrChannel, 500);
      await d.adapter.pay(unpaid);
      await d.expire?.(unpaid);
      assert.equal((await d.adapter.close(ref(unpaid))).state, 'closed');
      assert.equal((await d.adapter.query(ref(unpaid))).state, 'closed');
      assert.equal((await d.adapter.close(ref(unpaid))).state, 'closed', 'closing twice is the same close');

      const paidP = payment(d, d.qrChannel, 600);
      const created = await d.adapter.pay(paidP);
      await d.payQr(paidP, created);
      assert.equal(
        (await d.adapter.close(ref(paidP))).state,
        'success',
        'money that moved is never called closed',
      );
    });

    it('barcode: paid at once, declined, or paying until cancelled (revoked)', skip, async () => {
      const paid = await d.adapter.pay(payment(d, d.barcodeChannel, 700, { authCode: d.code('paid') }));
      assert.equal(paid.state, 'success', paid.message);
      assert.ok(paid.paidChannel);

      const declined = await d.adapter.pay(
        payment(d, d.barcodeChannel, 700, { authCode: d.code('declined') }),
      );
      assert.equal(declined.state, 'fail');
      assert.ok(declined.message, 'a failure says why');

      const stuck = payment(d, d.barcodeChannel, 700, { authCode: d.code('paying') });
      const first = await d.adapter.pay(stuck);
      assert.ok(first.state === 'pending' || first.state === 'unknown', first.state);
      assert.equal((await d.adapter.cancel(ref(stuck))).state, 'revoked');
      assert.notEqual((await d.adapter.query(ref(stuck))).state, 'success');
    });

    it(
      'refund: partial then the rest, never more than was paid, idempotent on the refund number',
      skip,
      async () => {
        const p = payment(d, d.qrChannel, 1000);
        await d.payQr(p, await d.adapter.pay(p));
        const refund = (suffix: string, amountFen: number) => ({
          refundTraceNo: `${p.traceNo}${suffix}`,
          payTraceNo: p.traceNo,
          appid: p.appid,
          channel: p.channel,
          amountFen,
          totalFen: 1000,
          reason: '退款',
        });
        const first = await d.adapter.refund(refund('R1', 400));
        assert.ok(first.state === 'success' || first.state === 'pending', first.state);
        assert.equal(
          (await d.adapter.refund(refund('R1', 400))).state === 'fail',
          false,
          'the same refund again is not a failure',
        );
        const settled = await d.adapter.refundQuery({
          appid: p.appid,
          traceNo: `${p.traceNo}R1`,
          channel: p.channel,
        });
        assert.equal(settled.state, 'success');
        assert.equal(
          (await d.adapter.refund(refund('R2', 700))).state,
          'fail',
          'more than is left is refused',
        );
        const rest = await d.adapter.refund(refund('R3', 600));
        assert.ok(rest.state === 'success' || rest.state === 'pending', rest.state);
      },
    );

    it('a trace number the channel never saw is not success', skip, async () => {
      const ghost: PaymentRef = {
        appid: d.appid,
        traceNo: `G${randomBytes(9).toString('hex')}`,
        channel: d.qrChannel,
      };
      assert.notEqual((await d.adapter.query(ghost)).state, 'success');
      assert.notEqual((await d.adapter.refundQuery(ghost)).state, 'success');
    });
  });
}
