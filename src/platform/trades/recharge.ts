import { type Answer, fail } from '../../protocol/codes.js';
import { parsePositiveYuan } from '../../protocol/money.js';
import type { ChannelResult } from '../channels/types.js';
import type { CallContext, Handler } from '../gateway/context.js';
import { findAccount } from '../ledger/accounts.js';
import type { OrderTable } from '../store/index.js';
import { checkPatient, type PatientInput } from './accounts-open.js';
import { rechargeAnswer } from './answers.js';
import { awaitBarcode } from './barcode-wait.js';
import { settleCash } from './cash.js';
import { findOrderByOutNo, insertOrder, newTraceNo, requestHash, updateOrder } from './orders.js';
import { replayOrConflict } from './replay.js';
import { type RechargeDetail, settleRecharge } from './settle.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Channels whose money is counted at the desk: the platform is their system of record. */
const LOCAL_CHANNELS = new Set(['CASH']);

/**
 * hop.trade.recharge. Idempotent on (appid, outChargeNo): the same request
 * again replays the stored answer; other parameters get 030001 (033001 once
 * paid). The order claims the number before any money moves.
 */
export const recharge: Handler = async (ctx, param) => {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const extra = (param['extra'] ?? {}) as Record<string, unknown>;
  const outChargeNo = text(param['outChargeNo']);
  const hash = requestHash(param);

  const existing = await findOrderByOutNo(db, app.appid, 'recharge', outChargeNo);
  if (existing) return replayOrConflict(platform, existing, hash);

  const channel = text(param['depositType']);
  if (channel === '') return fail('020006', '未指定 depositType, 且本次交易未弹出收银台');
  if (!app.channels.has(channel)) return fail('032001', `${app.name} 未开通 ${channel}`);
  const amountFen = parsePositiveYuan(text(param['amount']));
  if (amountFen === null) return fail('020003', `amount=${text(param['amount']).slice(0, 20)}`);

  const patient: PatientInput = {
    appid: app.appid,
    cardType: text(param['cardType']),
    cardNo: text(param['cardNo']),
    accountType: text(param['accountType']),
    hisCustId: text(param['hisCustId']),
    userName: text(param['userName']),
    idNo: text(param['idNo']),
    extra,
  };
  const account = await findAccount(db, patient);
  const refused = checkPatient(account, patient);
  if (refused) return refused;

  const traceNo = newTraceNo(now);
  const termNo = text(param['termNo']);
  const detail: RechargeDetail = {
    patient,
    subject: text(param['subject']) || '预交金充值',
    param,
    history: [{ at: now, event: 'created' }],
  };
  const order: OrderTable = {
    trace_no: traceNo,
    appid: app.appid,
    kind: 'recharge',
    out_no: outChargeNo,
    request_hash: hash,
    state: 'ing',
    amount_fen: amountFen,
    channel,
    account_no: account?.account_no ?? null,
    orig_trace_no: null,
    refunded_fen: 0,
    answer: null,
    detail: JSON.stringify(detail),
    term_no: termNo,
    created_at: now,
    updated_at: now,
    finished_at: null,
    expire_at: now + (app.config.orderTtlMinutes ?? platform.settings.orderTtlMinutes) * 60_000,
  };

  if (LOCAL_CHANNELS.has(channel)) {
    const answer = await settleCash(platform, app, order, detail);
    if (answer) return answer;
    // Lost the race for the number to an identical concurrent request.
    const winner = await findOrderByOutNo(db, app.appid, 'recharge', outChargeNo);
    return winner ? replayOrConflict(platform, winner, hash) : fail('999999', '订单状态未知, 请查询');
  }

  if (!(await insertOrder(db, order))) {
    const winner = await findOrderByOutNo(db, app.appid, 'recharge', outChargeNo);
    return winner ? replayOrConflict(platform, winner, hash) : fail('999999', '订单状态未知, 请查询');
  }
  const adapter = platform.channels.adapterFor(channel);
  let result: ChannelResult;
  try {
    result = await adapter.pay({
      traceNo,
      appid: app.appid,
      channel,
      amountFen,
      subject: detail.subject,
      termNo,
      extra,
      expireAt: order.expire_at ?? now,
    });
  } catch (error) {
    platform.log.error({ err: error, traceNo }, 'channel pay failed to answer');
    result = { state: 'unknown', message: '渠道应答异常' };
  }
  return afterChannel(ctx, order, detail, result);
};

async function afterChannel(
  ctx: CallContext,
  order: OrderTable,
  detail: RechargeDetail,
  first: ChannelResult,
): Promise<Answer> {
  const { platform, app } = ctx;
  const isBarcode = order.channel.endsWith('_BAR');
  const result =
    isBarcode && (first.state === 'pending' || first.state === 'unknown')
      ? await awaitBarcode(platform, order, first)
      : first;
  if (result.state === 'success') {
    const answer = await settleRecharge(platform, order, result);
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
  // A QR code waits for the patient's phone; the answer is kept so a retry gets the same code.
  const account = await findAccount(platform.store.db, detail.patient);
  const answer = rechargeAnswer(app.config, {
    traceNo: order.trace_no,
    balanceFen: account?.balance_fen ?? 0,
    channel: order.channel,
    ...(result.qrcode ? { qrcode: result.qrcode } : {}),
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
