import type { App } from '../../platform/apps/registry.js';
import { maskName, maskNumber } from '../../platform/log/mask.js';
import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { type RechargeDetail, rechargeDetail } from '../../platform/trades/pay/detail.js';
import type { Answer } from '../../protocol/codes.js';
import { ACCOUNT_TYPE, CARD_TYPE } from '../../protocol/dictionaries.js';
import { formatFen } from '../../protocol/money.js';
import { text } from '../shared/html.js';
import { qrDataUrl } from '../shared/qr.js';
import { channelName, type DeskChoice, deskChoices } from './choices.js';

/** What the desk (and the extension screen) shows: the order, and where its payment is. */
type DeskState = 'choose' | 'scan' | 'paying' | 'success' | 'fail' | 'closed';

export interface DeskView {
  readonly state: DeskState;
  readonly final: boolean;
  readonly traceNo: string;
  readonly outChargeNo: string;
  readonly termNo: string;
  readonly hospital: string;
  /** A sandbox app's order: the page says 测试环境. */
  readonly sandbox: boolean;
  readonly patient: string;
  readonly card: string;
  readonly account: string;
  readonly subject: string;
  readonly amount: string;
  readonly showMsg: string;
  readonly posNo: string;
  readonly choices: readonly DeskChoice[];
  readonly channel: string;
  readonly expireAt: number | null;
  readonly qr?: { readonly url: string; readonly image: string };
  /** Result lines: balance, channel used, time; or why it failed. */
  readonly result?: {
    readonly ok: boolean;
    readonly message: string;
    readonly balance?: string;
    readonly tradeMode?: string;
  };
}

function label(table: Readonly<Record<string, string>>, code: string): string {
  return table[code] ?? code;
}

function stateOf(order: OrderTable, detail: RechargeDetail): DeskState {
  switch (order.state) {
    case 'init':
      return 'choose';
    case 'ing':
      return detail.qrcode ? 'scan' : 'paying';
    case 'exp':
      return 'paying';
    case 'succ':
      return 'success';
    case 'fail':
      return 'fail';
    case 'closed':
      return 'closed';
  }
}

function storedAnswer(order: OrderTable): Answer | undefined {
  return order.answer ? (JSON.parse(order.answer) as Answer) : undefined;
}

export async function deskView(
  platform: Platform,
  app: App | undefined,
  order: OrderTable,
): Promise<DeskView> {
  const detail = rechargeDetail(order);
  const param = detail.param;
  const extra = (param['extra'] ?? {}) as Record<string, unknown>;
  const state = stateOf(order, detail);
  const answer = storedAnswer(order);
  const answerParam = (answer?.['param'] ?? {}) as Record<string, unknown>;
  let result: DeskView['result'];
  if (state === 'success') {
    result = {
      ok: true,
      message: '支付成功',
      balance: text(answerParam['balance']),
      tradeMode: channelName(text(answerParam['tradeMode']) || (detail.paidChannel ?? order.channel)),
    };
  } else if (state === 'fail' || state === 'closed') {
    result = { ok: false, message: answer?.respMsg ?? (state === 'closed' ? '订单已关闭' : '支付失败') };
  }
  const qrcode = state === 'scan' ? detail.qrcode : undefined;
  return {
    state,
    final: state === 'success' || state === 'fail' || state === 'closed',
    traceNo: order.trace_no,
    outChargeNo: order.out_no,
    termNo: order.term_no,
    hospital: text(extra['hopname']) || app?.name || '',
    sandbox: app?.mode === 'sandbox',
    patient: maskName(detail.patient.userName),
    card: `${label(CARD_TYPE, detail.patient.cardType)} ${maskNumber(detail.patient.cardNo)}`,
    account: label(ACCOUNT_TYPE, detail.patient.accountType),
    subject: detail.subject,
    amount: formatFen(order.amount_fen),
    showMsg: text(param['ShowMsg']),
    posNo: text(param['PosNo']),
    choices: app
      ? deskChoices(new Set(await platform.channels.usable(app)), order.state === 'init' ? order.channel : '')
      : [],
    channel: order.channel,
    expireAt: order.expire_at,
    ...(qrcode ? { qr: { url: qrcode, image: await qrDataUrl(qrcode) } } : {}),
    ...(result ? { result } : {}),
  };
}
