import { takesAuthCode } from '../../../protocol/channels.js';
import { type Answer, fail } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import type { ChannelResult } from '../../channels/types.js';
import { findAccount } from '../../ledger/accounts.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { updateOrder } from '../orders.js';
import { rechargeAnswer } from '../recharge/answer.js';
import { recpayAnswer } from '../recpay/answer.js';
import { settleOrder } from '../settle-order.js';
import { awaitBarcode } from './barcode-wait.js';
import type { RechargeDetail } from './detail.js';

/**
 * Takes a claimed recharge order (state "ing", channel chosen) through its
 * channel: the inline path of hop.trade.recharge and the cashier desk both
 * come here, so both give the same answers.
 */
export async function payOrder(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  extra: Readonly<Record<string, unknown>>,
): Promise<Answer> {
  let result: ChannelResult;
  try {
    result = await (await platform.channels.adapterFor(app, order.channel)).pay({
      traceNo: order.trace_no,
      appid: app.appid,
      channel: order.channel,
      amountFen: order.amount_fen,
      subject: detail.subject,
      termNo: order.term_no,
      extra,
      expireAt: order.expire_at ?? platform.clock(),
    });
  } catch (error) {
    platform.log.error({ err: error, traceNo: order.trace_no }, 'channel pay failed to answer');
    result = { state: 'unknown', message: '渠道应答异常' };
  }
  return afterChannel(platform, app, order, detail, result);
}

async function afterChannel(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  first: ChannelResult,
): Promise<Answer> {
  const isBarcode = takesAuthCode(order.channel);
  const result =
    isBarcode && (first.state === 'pending' || first.state === 'unknown')
      ? await awaitBarcode(platform, order, first)
      : first;
  if (result.state === 'success') {
    const answer = await settleOrder(platform, order, result);
    return answer ?? fail('040038', '订单正在处理, 请稍候查询交易结果');
  }
  if (result.state === 'fail' || result.state === 'revoked' || result.state === 'closed') {
    const answer = fail('032002', result.message ?? '渠道交易失败');
    await updateOrder(
      platform.store.db,
      order.trace_no,
      ['ing'],
      { state: 'fail', answer, detail: { ...detail, resultDesc: result.message ?? '渠道交易失败' } },
      platform.clock(),
    );
    return answer;
  }
  if (isBarcode) {
    // Still unknown after polling and cancelling: never guess, the HIS queries later.
    return fail('040038', result.message ?? '付款码交易结果未知, 请稍候查询交易结果');
  }
  if (detail.desk) {
    // At the desk the stored answer stays "finish at the desk" until the order is final:
    // the waiting client replays the request and must not take a QR code for a result.
    await updateOrder(
      platform.store.db,
      order.trace_no,
      ['ing'],
      { state: 'ing', detail: { ...detail, ...(result.qrcode ? { qrcode: result.qrcode } : {}) } },
      platform.clock(),
    );
    return fail('040038', '请患者扫码支付');
  }
  // A QR code waits for the patient's phone; the answer is kept so a retry gets the same code.
  const qr = result.qrcode ? { qrcode: result.qrcode } : {};
  const answer =
    order.kind === 'recpay'
      ? recpayAnswer({ traceNo: order.trace_no, ...qr, tradeState: '1' })
      : rechargeAnswer(app.config, {
          traceNo: order.trace_no,
          balanceFen: (await findAccount(platform.store.db, detail.patient))?.balance_fen ?? 0,
          channel: order.channel,
          ...qr,
          resNote: '待支付: 请患者扫码支付, 之后查询交易结果',
          tradeState: '1',
        });
  await updateOrder(
    platform.store.db,
    order.trace_no,
    ['ing'],
    { state: 'ing', answer, detail: { ...detail, ...(result.qrcode ? { qrcode: result.qrcode } : {}) } },
    platform.clock(),
  );
  return answer;
}
