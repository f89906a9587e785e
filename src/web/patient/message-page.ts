import type { MessageView } from '../../platform/notify/render.js';
import { formatFen } from '../../protocol/money.js';
import { beijingDisplay } from '../../protocol/time.js';
import { esc } from '../shared/html.js';
import { layout, rows } from './html.js';

export interface MessagePageInput {
  readonly view: MessageView;
  readonly hospital: string;
  readonly token: string;
  readonly createdAt: number;
  /** A sandbox app's message: the page says 测试环境. */
  readonly sandbox: boolean;
}

/** The message card, as the spec's examples draw it: 医院通知, the heading, the lines, 详情 >. */
export function renderCard({ view, hospital, token, createdAt, sandbox }: MessagePageInput): string {
  const settle = view.selfPaySettle
    ? `<a class="btn alt" id="settle" href="/p/m/${esc(token)}/detail#settle">点击进行自费结算</a>`
    : '';
  return layout(
    `${hospital} ${view.heading}`,
    `<div class="card" id="card">
<h2>医院通知</h2>
<h1>${esc(hospital)}:${esc(view.heading)}</h1>
${rows([['通知时间', beijingDisplay(createdAt)], ['通知内容', view.first], ...view.facts])}
${view.remark ? `<p class="muted">${esc(view.remark)}</p>` : ''}
${settle}
<a class="more" id="detail" href="/p/m/${esc(token)}/detail">详情 &gt;</a>
</div>`,
    sandbox,
  );
}

/** The detail page: 住院信息, the amounts, and the 补缴 button when something is owed. */
export function renderDetail({ view, token, sandbox }: MessagePageInput, error = ''): string {
  const pay =
    view.shortfallFen > 0
      ? `<form method="post" action="/p/m/${esc(token)}/topup" id="settle">
<button class="btn" id="topup" type="submit">${view.selfPaySettle ? '结算' : '补缴'} ${esc(formatFen(view.shortfallFen))} 元</button>
</form>`
      : view.selfPaySettle
        ? '<p class="muted" id="settle">无需补缴, 请到窗口办理出院结算</p>'
        : '';
  return layout(
    view.heading,
    `<div class="card"><h1>住院信息</h1>${rows(view.detail)}</div>
${error ? `<div class="card error" id="error">${esc(error)}</div>` : ''}
<div class="card">${pay || '<p class="muted">如有疑问请咨询住院处</p>'}</div>`,
    sandbox,
  );
}
