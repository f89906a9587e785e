import { formatFen } from '../../protocol/money.js';
import { beijing14 } from '../../protocol/time.js';
import type { Handler } from '../gateway/context.js';
import type { OrderKind, OrderTable } from '../store/index.js';
import { pgBatchedReads } from '../store/postgres/batched-reads.js';
import { findOrder, findOrderByOutNo, orderDetail } from './orders.js';

const KIND_OF_TRADE_TYPE: Readonly<Record<string, OrderKind>> = {
  'hop.trade.recharge': 'recharge',
  'hop.trade.refund': 'refund',
  'hop.trade.recpay': 'recpay',
  'hop.trade.pay.cancel': 'cancel',
};

const RESULT_TEXT: Readonly<Record<string, string>> = {
  init: '待交易',
  ing: '正在交易',
  succ: '交易成功',
  fail: '交易失败',
  exp: '交易异常',
  closed: '交易关闭',
  notfound: '交易记录不存在',
};

/**
 * hop.trade.query: traceNo wins over outTradeNo (DESIGN), and an app never
 * sees another app's orders — they are simply notfound.
 */
export const query: Handler<'hop.trade.query'> = async (ctx, param) => {
  const store = ctx.platform.store;
  const appid = ctx.app.appid;
  const traceNo = param.traceNo ?? '';
  const outTradeNo = param.outTradeNo ?? '';
  const kind = KIND_OF_TRADE_TYPE[param.tradeType] ?? 'recharge';
  // PostgreSQL: with every query of this turn, in one statement (store/postgres/batched-reads.ts).
  const batched = store.dialect === 'postgres' ? pgBatchedReads(store) : undefined;
  const order =
    traceNo !== ''
      ? await (batched?.byTrace.submit({ appid, traceNo }) ?? findOrder(store.db, appid, traceNo))
      : await (batched?.byNumber.submit({ appid, kind, outNo: outTradeNo }) ??
          findOrderByOutNo(store.db, appid, kind, outTradeNo));
  if (!order) {
    return {
      respCode: '000000',
      respMsg: '处理成功',
      param: { result: 'notfound', resultDesc: RESULT_TEXT['notfound'] },
    };
  }
  return { respCode: '000000', respMsg: '处理成功', param: describeOrder(ctx.app.config.paytype, order) };
};

function describeOrder(
  paytype: Readonly<Record<string, string>> | undefined,
  order: OrderTable,
): Record<string, unknown> {
  const detail = orderDetail(order);
  // A payment names the wallet that paid; a refund names its own route (its detail's paidChannel is the original's).
  const channel = order.kind === 'refund' ? order.channel : (detail.paidChannel ?? order.channel);
  return {
    result: order.state,
    resultDesc: detail.resultDesc ?? RESULT_TEXT[order.state] ?? order.state,
    tradeMode: channel,
    origTraceNo: order.orig_trace_no ?? order.trace_no,
    origTraceTime: order.finished_at !== null && order.state === 'succ' ? beijing14(order.finished_at) : '',
    traceNo: order.trace_no,
    amount: formatFen(order.amount_fen),
    extra: { paytype: paytype?.[channel] ?? channel },
  };
}
