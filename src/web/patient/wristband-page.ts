import { maskName } from '../../platform/log/mask.js';
import { formatFen } from '../../protocol/money.js';
import { esc } from '../shared/html.js';
import { layout, rows } from './html.js';

interface WristbandPageInput {
  readonly key: string;
  readonly hospital: string;
  readonly userName: string;
  readonly balanceFen: number | null;
  /** A sandbox app's wristband: the page says 测试环境. */
  readonly sandbox: boolean;
}

/** The page the wristband's QR opens: a family member tops up the inpatient's deposit. */
export function renderWristbandPage(input: WristbandPageInput, error = ''): string {
  const balance = input.balanceFen === null ? '未开户' : `${formatFen(input.balanceFen)} 元`;
  return layout(
    '住院预交金充值',
    `<div class="card"><h1>住院预交金充值</h1>
${rows([
  ['住院医院', input.hospital],
  ['患者姓名', maskName(input.userName)],
  ['当前余额', balance],
])}</div>
${error ? `<div class="card error" id="error">${esc(error)}</div>` : ''}
<div class="card"><form method="post" action="/p/wb/${esc(input.key)}/topup" id="topup-form">
<label for="amount">充值金额 (元)</label>
<input id="amount" name="amount" inputmode="decimal" autocomplete="off" placeholder="例如 500.00" required>
<button class="btn" id="topup" type="submit">去支付</button>
</form></div>`,
    input.sandbox,
  );
}
