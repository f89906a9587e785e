import { maskName, maskNumber } from '../../platform/log/mask.js';
import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { type RefundableOrder, refundableOrders } from '../../platform/trades/refund/desk.js';
import { refundDeskDetail } from '../../platform/trades/refund/desk-row.js';
import type { Answer } from '../../protocol/codes.js';
import { CARD_TYPE } from '../../protocol/dictionaries.js';
import { formatFen, parseYuan } from '../../protocol/money.js';
import { beijingDisplay } from '../../protocol/time.js';
import { channelName } from '../desk/choices.js';
import { esc, text } from '../shared/html.js';

type RefundDeskState = 'choose' | 'refunding' | 'success' | 'fail' | 'closed' | 'manual';

export interface RefundDeskView {
  readonly state: RefundDeskState;
  readonly final: boolean;
  readonly hospital: string;
  /** A sandbox app's refund: the page says 测试环境. */
  readonly sandbox: boolean;
  readonly termNo: string;
  readonly patient: string;
  readonly card: string;
  readonly requested: string;
  readonly requestedFen: number;
  readonly outRefundNo: string;
  readonly tradeChannel: string;
  readonly orders: readonly RefundableOrder[];
  readonly expireAt: number | null;
  readonly answer?: Answer;
}

function stateOf(row: OrderTable): RefundDeskState {
  switch (row.state) {
    case 'init':
      return 'choose';
    case 'ing':
      return 'refunding';
    case 'succ':
      return 'success';
    case 'fail':
      return 'fail';
    case 'closed':
      return 'closed';
    case 'exp':
      return 'manual';
  }
}

export async function refundDeskView(platform: Platform, row: OrderTable): Promise<RefundDeskView> {
  const { param, requestedFen } = refundDeskDetail(row);
  const { extra } = param;
  const app = await platform.apps.find(row.appid);
  const state = stateOf(row);
  const cardType = param.cardType;
  // A refund request carries no name: the deposit account has it.
  const account = row.account_no
    ? await platform.store.db
        .selectFrom('accounts')
        .select('user_name')
        .where('account_no', '=', row.account_no)
        .executeTakeFirst()
    : undefined;
  return {
    state,
    final: state !== 'choose' && state !== 'refunding',
    hospital: extra.hopname || app?.name || '',
    sandbox: app?.mode === 'sandbox',
    termNo: row.term_no,
    patient: maskName(account?.user_name ?? ''),
    card: `${CARD_TYPE[cardType as keyof typeof CARD_TYPE] ?? cardType} ${maskNumber(param.cardNo)}`,
    requested: formatFen(requestedFen),
    requestedFen,
    outRefundNo: row.out_no,
    tradeChannel: param.tradeChannel,
    orders: state === 'choose' ? await refundableOrders(platform, row) : [],
    expireAt: row.expire_at,
    ...(row.answer && state !== 'choose' ? { answer: JSON.parse(row.answer) as Answer } : {}),
  };
}

function orderRows(view: RefundDeskView): string {
  if (view.orders.length === 0) {
    return '<p class="message">没有可退的订单 (已全部退款, 或渠道不符). 请按 Esc 取消.</p>';
  }
  const firstIndex = Math.max(
    0,
    view.orders.findIndex((o) => o.named),
  );
  const rows = view.orders
    .map((o, i) => {
      const id = `o${i}`;
      const checked = i === firstIndex;
      // What the confirmation says before money leaves: how much, from which order, by which channel.
      const confirm = `从充值 ${o.outChargeNo} (${channelName(o.channel)}) 退款 ¥${formatFen(o.succFen)}`;
      return `<tr aria-selected="${checked}"><td><input type="radio" name="order" id="${id}" value="${esc(o.traceNo)}" data-confirm="${esc(confirm)}"${checked ? ' checked data-autofocus' : ''} aria-keyshortcuts="${i + 1}"></td>
<td><label for="${id}"><kbd>${i + 1}</kbd>${esc(beijingDisplay(o.paidAt))}</label></td><td>${esc(channelName(o.channel))}</td><td>${esc(o.outChargeNo)}</td>
<td class="num">${formatFen(o.amountFen)}</td><td class="num">${formatFen(o.refundedFen)}</td><td class="num">${formatFen(o.leftFen)}</td>
<td class="num"><strong>${formatFen(o.succFen)}</strong></td></tr>`;
    })
    .join('');
  return `<form id="pick"><table class="orders"><caption class="visually-hidden">可退订单</caption>
<thead><tr><th scope="col"><span class="visually-hidden">选择</span></th><th scope="col">充值时间</th><th scope="col">渠道</th><th scope="col">HIS 充值流水号</th>
<th scope="col" class="num">金额</th><th scope="col" class="num">已退</th><th scope="col" class="num">可退</th><th scope="col" class="num">本次退款</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="muted">订单可退余额小于申请金额时, 只退可退余额 (succAmount).</p>
<div class="actions"><button class="btn" type="submit" id="refund">退款 (Enter)</button></div>
<div id="refund-confirm" class="confirm" hidden role="alertdialog" aria-labelledby="refund-q">
<p id="refund-q"><strong id="refund-what"></strong>? 退款一经发出不能撤回.</p>
<button class="btn" type="button" id="refund-yes">确认退款 (Enter)</button>
<button class="btn ghost" type="button" id="refund-no">返回 (Esc)</button>
</div>
<p id="busy" class="muted" hidden role="status">正在退款, 请稍候…</p></form>`;
}

/**
 * A refund that paid less than was asked (the order had less left) is said
 * so, in the warning colour and with both amounts: a green "success" beside
 * the asked amount would tell the cashier the whole sum went back.
 */
function successPanel(view: RefundDeskView, answerParam: Record<string, unknown>): string {
  const refunded = text(answerParam['succAmount']);
  const refundedFen = parseYuan(refunded) ?? 0;
  const headline =
    refundedFen < view.requestedFen
      ? `<p class="state warn" role="status" tabindex="-1" data-autofocus>⚠ 部分退款: 实退 ¥ ${esc(refunded)}, 申请 ¥ ${esc(view.requested)}</p>
<p>所选订单可退余额不足, 差额 ¥ ${formatFen(view.requestedFen - refundedFen)} 未退, 请另行处理.</p>`
      : `<p class="state ok" role="status" tabindex="-1" data-autofocus>✔ 退款成功: ¥ ${esc(refunded)}</p>`;
  return `<div class="card"><h2>退款结果</h2>${headline}
<dl class="facts"><dt>申请金额</dt><dd>¥ ${esc(view.requested)}</dd><dt>实退金额</dt><dd data-refunded>¥ ${esc(refunded)}</dd>
<dt>渠道</dt><dd>${esc(channelName(text(answerParam['tradeMode'])))}</dd>
<dt>HIS 退款单号</dt><dd>${esc(view.outRefundNo)}</dd><dt>平台退款流水号</dt><dd>${esc(text(answerParam['refundNo']))}</dd></dl>
<p class="muted">可以关闭本页; HIS 已收到结果.</p></div>`;
}

export function refundPanel(view: RefundDeskView): string {
  const answerParam = (view.answer?.['param'] ?? {}) as Record<string, unknown>;
  switch (view.state) {
    case 'choose':
      return `<div class="card"><h2>选择退款订单 <span class="muted">(数字键选择, Enter 退款, Esc 取消)</span></h2>${orderRows(view)}
${view.expireAt === null ? '' : `<p class="muted">剩余时间 <span data-expire="${view.expireAt}">--:--</span></p>`}</div>`;
    case 'refunding':
      return '<div class="card"><h2>正在退款</h2><p class="state" role="status">正在等待渠道退款结果…</p></div>';
    case 'success':
      return successPanel(view, answerParam);
    default:
      return `<div class="card"><h2>退款结果</h2><p class="state bad" role="status" tabindex="-1" data-autofocus>✘ ${view.state === 'closed' ? '退款已取消' : view.state === 'manual' ? '需人工处理' : '退款失败'}</p>
<p>${esc(view.answer?.respMsg ?? '')}</p><p class="muted">可以关闭本页; HIS 已收到结果.</p></div>`;
  }
}
