import type { Answer } from '../../../protocol/codes.js';
import { beijing14 } from '../../../protocol/time.js';

/** hop.trade.recpay's answer: chargeNo, qrcode, traceTime, traceNo (the spec's table). */
export function recpayAnswer(o: {
  traceNo: string;
  qrcode?: string;
  paidAt?: number;
  tradeState: '0' | '1';
}): Answer {
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      chargeNo: o.traceNo,
      qrcode: o.qrcode ?? '0',
      traceTime: o.paidAt !== undefined ? beijing14(o.paidAt) : '',
      traceNo: o.traceNo,
      tradeState: o.tradeState,
    },
  };
}
