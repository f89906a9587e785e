import { esc, page } from '../shared/html.js';
import { type RefundDeskView, refundPanel } from './view.js';

export function refundDeskPage(view: RefundDeskView, base: string): string {
  const body = `<header class="bar"><h1>${esc(view.hospital)} · 退款收银台</h1><span class="term">终端 ${esc(view.termNo)}</span></header>
<main class="desk">
<section class="card" aria-labelledby="summary-h">
<h2 id="summary-h">退款申请</h2>
<p class="amount-label">申请退款金额</p>
<p class="amount" aria-label="申请退款 ${esc(view.requested)} 元"><small>¥</small>${esc(view.requested)}</p>
<dl class="facts">
<dt>患者</dt><dd>${esc(view.patient)}</dd>
<dt>卡号</dt><dd>${esc(view.card)}</dd>
<dt>HIS 退款单号</dt><dd>${esc(view.outRefundNo)}</dd>
${view.tradeChannel ? `<dt>渠道</dt><dd>${esc(view.tradeChannel)}</dd>` : ''}
</dl>
</section>
<section aria-label="退款" aria-live="polite">
<div id="panel" data-base="${esc(base)}">${refundPanel(view)}</div>
<p id="message" class="message" role="alert"></p>
<div id="confirm" class="confirm" hidden role="alertdialog" aria-labelledby="confirm-q">
<p id="confirm-q">确认取消本次退款? HIS 将收到"已取消".</p>
<button class="btn ghost" type="button" id="confirm-yes">确认取消 (Enter)</button>
<button class="btn" type="button" id="confirm-no">返回</button>
</div>
<div class="actions"><button class="btn ghost" type="button" id="cancel"${view.final ? ' hidden' : ''}>取消退款 (Esc)</button></div>
</section>
</main>`;
  return page({
    title: `退款收银台 ¥${view.requested}`,
    body,
    script: 'refund-desk.js',
    state: view.state,
    sandbox: view.sandbox,
    ...(view.final ? {} : { refreshSeconds: 5 }),
  });
}
