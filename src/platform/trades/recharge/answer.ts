import type { Answer } from '../../../protocol/codes.js';
import { formatFen } from '../../../protocol/money.js';
import { beijing14 } from '../../../protocol/time.js';
import type { AppConfig } from '../../apps/registry.js';

interface RechargeOutcome {
  readonly traceNo: string;
  readonly balanceFen: number;
  /** Channel that took the money (ONE_QR resolves to the wallet). */
  readonly channel: string;
  /** Set once the money is in; empty while the patient has not paid. */
  readonly paidAt?: number;
  readonly qrcode?: string;
  readonly callsn?: string;
  readonly resNote: string;
  /** POS fields of the spec's response extra. */
  readonly posExtra?: Readonly<Record<string, string>>;
  /** 交易状态 of the spec: 0 成功, 1 待交易, 2 失败. */
  readonly tradeState: '0' | '1' | '2';
}

/**
 * The recharge answer. `extra` is both at the top and inside `param`, as the
 * spec's changelog of 2019/01/21 says; paytype is the HIS-side code of the
 * wallet actually used, configurable per hospital.
 */
export function rechargeAnswer(config: AppConfig, o: RechargeOutcome): Answer {
  const callsn = o.callsn ?? '';
  const extra: Record<string, string> = {
    paytype: config.paytype?.[o.channel] ?? o.channel,
    callsn,
    resNote: o.resNote,
    BankCardNo: o.posExtra?.['BankCardNo'] ?? '',
    posIssuingBank: o.posExtra?.['posIssuingBank'] ?? '',
    BankCardType: o.posExtra?.['BankCardType'] ?? '',
  };
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      chargeNo: o.traceNo,
      balance: formatFen(o.balanceFen),
      tradeMode: o.channel,
      traceTime: o.paidAt !== undefined ? beijing14(o.paidAt) : '',
      traceNo: o.traceNo,
      qrcode: o.qrcode ?? '0',
      callsn,
      tradeState: o.tradeState,
      extra,
    },
    extra,
  };
}
