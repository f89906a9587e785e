import type { IdentityKind, Person } from '../../platform/identity/types.js';
import { maskName } from '../../platform/log/mask.js';
import { layout } from '../patient/html.js';
import { esc } from '../shared/html.js';

const TITLE: Record<IdentityKind, string> = { face: '沙箱 · 支付宝刷脸', auth: '沙箱 · 医保移动支付授权' };

/** Editable identity fields of the sandbox pages: what the "provider" will report. */
export const PERSON_FIELDS = [
  ['name', '姓名'],
  ['idNo', '证件号'],
  ['sex', '性别 (1 男 2 女)'],
  ['phone', '手机号'],
  ['birthday', '出生日期'],
  ['address', '地址'],
  ['cardNo', '医保卡号'],
] as const satisfies readonly (readonly [keyof Person, string])[];

export function renderIdentityPage(
  kind: IdentityKind,
  token: string,
  person: Person,
  operator: string,
): string {
  const inputs = PERSON_FIELDS.map(
    ([k, label]) =>
      `<label>${esc(label)}<input name="${k}" id="f-${k}" value="${esc(String(person[k]))}"></label>`,
  ).join('');
  const buttons =
    kind === 'face'
      ? `<button class="btn" name="action" value="succ" id="approve">完成刷脸</button>
<button class="btn alt" name="action" value="fail" id="fail">刷脸失败</button>
<button class="btn alt" name="action" value="cancel" id="cancel">取消</button>`
      : `<button class="btn" name="action" value="succ" id="approve">同意授权</button>
<button class="btn alt" name="action" value="cancel" id="cancel">取消授权</button>
<button class="btn alt" name="action" value="fail" id="fail">模拟授权失败</button>`;
  return layout(
    TITLE[kind],
    `<div class="card"><h1>${esc(TITLE[kind])}</h1>
<p class="muted">沙箱页面: 扮演${kind === 'face' ? '刷脸设备' : '患者手机'}。${operator ? `操作员 ${esc(maskName(operator))} 发起。` : ''}</p>
<form method="post" action="/id-sandbox/${kind}/${esc(token)}" id="identity-form">${inputs}${buttons}</form></div>`,
    true,
  );
}

export function renderIdentityResult(kind: IdentityKind, state: string): string {
  const text: Record<string, string> = {
    succ: kind === 'face' ? '刷脸成功, 请回到窗口' : '授权成功',
    fail: kind === 'face' ? '刷脸失败' : '授权失败',
    cancel: '已取消',
  };
  return layout(
    TITLE[kind],
    `<div class="card"><h1 id="result">${esc(text[state] ?? state)}</h1></div>`,
    true,
  );
}
