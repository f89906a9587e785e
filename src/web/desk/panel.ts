import { esc } from '../shared/html.js';
import type { DeskView } from './view.js';

function choiceList(view: DeskView): string {
  if (view.choices.length === 0) {
    return `<p class="message">本单渠道 ${esc(view.channel)} 不能在收银台收款, 请取消后改用其他方式.</p>`;
  }
  const items = view.choices
    .map(
      (c, i) =>
        `<li><button type="button" data-channel="${esc(c.code)}" data-kind="${c.kind}" aria-pressed="${i === 0}" aria-keyshortcuts="${i + 1}"${i === 0 ? ' data-autofocus' : ''}><kbd>${i + 1}</kbd>${esc(c.label)}</button></li>`,
    )
    .join('');
  const first = view.choices[0]?.kind;
  const pos = view.posNo === '2' ? '2' : '1';
  return `<h2 id="choose-h">选择支付方式 <span class="muted">(数字键选择, Enter 收款)</span></h2>
<ul class="choices" role="group" aria-labelledby="choose-h">${items}</ul>
<form id="barcode" class="field"${first === 'barcode' ? '' : ' hidden'} autocomplete="off">
<label for="authCode">付款码</label>
<input id="authCode" name="authCode" inputmode="numeric" pattern="[0-9]{10,32}" placeholder="用扫码枪扫描患者付款码" aria-describedby="authCode-hint">
<button class="btn" type="submit">收款</button>
<span id="authCode-hint" class="muted">扫码枪读入后自动回车; 也可手工输入后按 Enter</span>
</form>
<div id="pos" class="field"${first === 'pos' ? '' : ' hidden'}>
<label for="posNo">POS 终端</label>
<select id="posNo"><option value="1"${pos === '1' ? ' selected' : ''}>1 号终端</option><option value="2"${pos === '2' ? ' selected' : ''}>2 号终端</option></select>
</div>
<div class="actions"><button class="btn" type="button" id="pay">确认收款 (Enter)</button></div>
<p id="busy" class="muted" hidden role="status">正在收款, 请稍候…</p>`;
}

function countdown(expireAt: number | null): string {
  return expireAt === null
    ? ''
    : `<p class="muted">剩余时间 <span data-expire="${expireAt}">--:--</span></p>`;
}

/** The part of the desk that changes with the order; sent again over SSE at every change. */
export function deskPanel(view: DeskView): string {
  switch (view.state) {
    case 'choose':
      return `<div class="card">${choiceList(view)}</div>`;
    case 'scan':
      return `<div class="card"><h2>请患者扫码支付</h2><div class="qr">
<img src="${view.qr?.image ?? ''}" alt="付款二维码, 请患者用手机扫描" data-qr="${esc(view.qr?.url ?? '')}">
<div><p class="state">¥ ${esc(view.amount)}</p><p>${esc(view.qr ? '支付宝 / 微信 / 云闪付 扫一扫' : '')}</p>${countdown(view.expireAt)}
<p class="muted">二维码同时显示在拓展屏上</p></div></div></div>`;
    case 'paying':
      return `<div class="card"><h2>正在收款</h2><p class="state" role="status">正在等待支付结果…</p>
<p class="muted">付款码需要患者输入密码时, 请提醒患者在手机上确认.</p></div>`;
    case 'success':
      return `<div class="card"><h2>收款结果</h2><p class="state ok" role="status" data-autofocus tabindex="-1">✔ 支付成功</p>
<dl class="facts"><dt>金额</dt><dd>¥ ${esc(view.amount)}</dd><dt>渠道</dt><dd>${esc(view.result?.tradeMode ?? '')}</dd>
<dt>余额</dt><dd>¥ ${esc(view.result?.balance ?? '')}</dd><dt>平台流水号</dt><dd>${esc(view.traceNo)}</dd></dl>
<p class="muted">可以关闭本页; HIS 已收到结果.</p></div>`;
    case 'fail':
    case 'closed':
      return `<div class="card"><h2>收款结果</h2><p class="state bad" role="status" data-autofocus tabindex="-1">✘ ${view.state === 'closed' ? '订单已取消' : '支付失败'}</p>
<p>${esc(view.result?.message ?? '')}</p><p class="muted">可以关闭本页; HIS 已收到结果.</p></div>`;
  }
}
