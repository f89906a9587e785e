import type { Answer } from '../../../protocol/codes.js';
import { formatFen } from '../../../protocol/money.js';
import { beijing14 } from '../../../protocol/time.js';

export function refundAnswer(o: {
  refundTraceNo: string;
  outRefundNo: string;
  channel: string;
  succFen: number;
  at: number;
}): Answer {
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      refundNo: o.refundTraceNo,
      outRefundNo: o.outRefundNo,
      traceTime: beijing14(o.at),
      traceNo: o.refundTraceNo,
      tradeMode: o.channel,
      succAmount: formatFen(o.succFen),
    },
  };
}
