import { esc, page } from '../shared/html.js';
import { deskPanel } from './panel.js';
import type { DeskView } from './view.js';

/** The whole desk page: summary on the left, the live panel on the right. */
export function deskPage(view: DeskView, base: string, screenUrl: string | undefined): string {
  const screen = screenUrl
    ? `<p class="muted"><a href="${esc(screenUrl)}" target="_blank" rel="noopener">拓展屏地址</a> (在患者侧屏幕打开一次即可)</p>`
    : '';
  const body = `<header class="bar"><h1>${esc(view.hospital)} · 收银台</h1><span class="term">终端 ${esc(view.termNo)}</span></header>
<main class="desk">
<section class="card" aria-labelledby="summary-h">
<h2 id="summary-h">订单信息</h2>
<p class="amount" aria-label="金额 ${esc(view.amount)} 元"><small>¥</small>${esc(view.amount)}</p>
<dl class="facts">
<dt>患者</dt><dd>${esc(view.patient)}</dd>
<dt>卡号</dt><dd>${esc(view.card)}</dd>
<dt>账户</dt><dd>${esc(view.account)}</dd>
<dt>项目</dt><dd>${esc(view.subject)}</dd>
<dt>医院</dt><dd>${esc(view.hospital)}</dd>
<dt>HIS 流水号</dt><dd>${esc(view.outChargeNo)}</dd>
</dl>${screen}
</section>
<section aria-label="收款" aria-live="polite">
<div id="panel" data-base="${esc(base)}">${deskPanel(view)}</div>
<p id="message" class="message" role="alert"></p>
<div id="confirm" class="confirm" hidden role="alertdialog" aria-labelledby="confirm-q">
<p id="confirm-q">确认取消本单? 取消后订单关闭, HIS 收到"已关闭".</p>
<button class="btn ghost" type="button" id="confirm-yes">确认取消 (Enter)</button>
<button class="btn" type="button" id="confirm-no">返回</button>
</div>
<div class="actions"><button class="btn ghost" type="button" id="cancel"${view.final ? ' hidden' : ''}>取消订单 (Esc)</button></div>
</section>
</main>`;
  return page({
    title: `收银台 ¥${view.amount}`,
    body,
    script: 'desk.js',
    state: view.state,
    sandbox: view.sandbox,
    ...(view.final ? {} : { refreshSeconds: 3 }),
  });
}
