import { createHash } from 'node:crypto';
import { formatFen } from '../../protocol/money.js';

/** One line of the double's trade bill: a payment (SUCCESS or REVOKED) or a refund (REFUND). */
export interface TradeBillLine {
  /** yyyy-MM-dd HH:mm:ss, Beijing time: the payment's moment (a refund line shows its payment's). */
  readonly time: string;
  readonly appid: string;
  readonly mchid: string;
  readonly subMchid: string;
  readonly transactionId: string;
  readonly outTradeNo: string;
  readonly tradeType: string;
  readonly state: 'SUCCESS' | 'REVOKED' | 'REFUND';
  readonly totalFen: number;
  readonly refund?: { readonly refundId: string; readonly outRefundNo: string; readonly fen: number };
}

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

const yuan = (fen: number) => formatFen(fen);
const row = (fields: readonly string[]) => fields.map((f) => `\`${f}`).join(',');

/**
 * A trade bill (bill_type ALL) as WeChat Pay writes it: UTF-8 CSV, the column
 * header, one line per trade with every field prefixed by a backtick, then
 * the summary header and its one line. With its SHA1, as tradebill announces it.
 */
export function wechatTradeBill(lines: readonly TradeBillLine[]): { text: string; sha1: string } {
  let pays = 0;
  let refunds = 0;
  const body = lines.map((l) => {
    const r = l.refund;
    if (r) refunds += r.fen;
    else if (l.state === 'SUCCESS') pays += l.totalFen;
    return row([
      l.time,
      l.appid,
      l.mchid,
      l.subMchid || '0',
      '',
      l.transactionId,
      l.outTradeNo,
      'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      l.tradeType,
      l.state,
      'OTHERS',
      'CNY',
      r ? '0.00' : yuan(l.totalFen),
      '0.00',
      r?.refundId ?? '0',
      r?.outRefundNo ?? '0',
      r ? yuan(r.fen) : '0.00',
      '0.00',
      r ? 'ORIGINAL' : '',
      r ? 'SUCCESS' : '',
      '医院缴费',
      '',
      '0.00000',
      '0.60%',
      r ? '0.00' : yuan(l.totalFen),
      r ? yuan(r.fen) : '0.00',
      '',
    ]);
  });
  const summary = row([
    String(lines.length),
    yuan(pays),
    yuan(refunds),
    '0.00',
    '0.00000',
    yuan(pays),
    yuan(refunds),
  ]);
  const text = `${[HEADER, ...body, SUMMARY, summary].join('\r\n')}\r\n`;
  return { text, sha1: createHash('sha1').update(text).digest('hex') };
}
