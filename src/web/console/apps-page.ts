import { SECRET_SET } from '../../platform/apps/gateway-settings.js';
import type { Gateway } from '../../platform/channels/live/gateways.js';
import type { AppView } from '../../platform/console/apps.js';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import { CHANNEL } from '../../protocol/dictionaries.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX, csrfField } from './frame.js';
import { when } from './labels.js';

/** One field of a gateway's merchant credentials as the form asks for it. */
interface CredentialField {
  readonly name: string;
  readonly label: string;
  /** Keys, certificates and secrets: a textarea or password box, never filled from what is stored. */
  readonly writeOnly?: boolean;
  readonly multiline?: boolean;
}

/** The names are the ones `onepay app channel set` takes and the gateway's driver checks. */
export const CREDENTIAL_FIELDS: Readonly<Record<Gateway, readonly CredentialField[]>> = {
  alipay: [
    { name: 'appId', label: '支付宝应用 ID (appId)' },
    { name: 'sellerId', label: '收款支付宝账号 (sellerId)' },
    { name: 'privateKey', label: '应用私钥 (PEM)', writeOnly: true, multiline: true },
    { name: 'alipayPublicKey', label: '支付宝公钥 (PEM)', writeOnly: true, multiline: true },
    { name: 'gatewayUrl', label: '网关地址 (留空为正式网关)' },
    { name: 'oauthUrl', label: '网页授权地址 (可选)' },
    { name: 'timeoutMs', label: '超时 (毫秒)' },
  ],
  wechat: [
    { name: 'mchid', label: '商户号 (mchid)' },
    { name: 'appid', label: '公众号/小程序 AppID' },
    { name: 'serial', label: '商户 API 证书序列号' },
    { name: 'privateKey', label: '商户 API 私钥 (PEM)', writeOnly: true, multiline: true },
    { name: 'apiV3Key', label: 'APIv3 密钥', writeOnly: true },
    { name: 'platformSerial', label: '平台证书序列号或公钥 ID' },
    { name: 'platformKey', label: '平台证书或公钥 (PEM)', writeOnly: true, multiline: true },
    { name: 'subMchid', label: '子商户号 (服务商模式, 可选)' },
    { name: 'appSecret', label: '公众号 AppSecret (网页授权, 可选)', writeOnly: true },
    { name: 'gatewayUrl', label: '网关地址 (留空为正式网关)' },
    { name: 'timeoutMs', label: '超时 (毫秒)' },
  ],
  unionpay: [
    { name: 'merId', label: '商户号 (merId, 15 位)' },
    { name: 'pfx', label: '签名证书 .pfx (base64)', writeOnly: true, multiline: true },
    { name: 'pfxPassword', label: '签名证书密码', writeOnly: true },
    { name: 'rootCert', label: '根证书 (PEM)', writeOnly: true, multiline: true },
    { name: 'middleCert', label: '中级证书 (PEM)', writeOnly: true, multiline: true },
    { name: 'gatewayUrl', label: '网关地址 (留空为正式网关)' },
    { name: 'timeoutMs', label: '超时 (毫秒)' },
  ],
};

const GATEWAY_LABEL: Readonly<Record<Gateway, string>> = {
  alipay: '支付宝',
  wechat: '微信支付',
  unionpay: '银联',
};
const MODE_LABEL = { live: '正式', sandbox: '沙箱 (模拟资金)' } as const;

type AppRow = {
  appid: string;
  name: string;
  mode: 'live' | 'sandbox';
  disabled: boolean;
  channels: string[];
  gateways: { gateway: string; updatedAt: number }[];
};

function channelBoxes(chosen: ReadonlySet<string>): string {
  return `<div class="checks">${Object.entries(CHANNEL)
    .map(
      ([code, label]) =>
        `<label class="check"><input type="checkbox" name="ch_${code}" value="1"${chosen.has(code) ? ' checked' : ''}>${esc(code)} ${esc(label)}</label>`,
    )
    .join('')}</div>`;
}

/** The app list and the form that makes a new app; a new app's secret is shown here once. */
export function appsHtml(
  session: ConsoleSession,
  apps: readonly AppRow[],
  created?: { appid: string; appsecret: string },
): string {
  const once = created
    ? `<div class="card secret-once" role="alert"><h3>新应用已创建: 请立即复制密钥</h3>
<dl class="facts"><dt>appid</dt><dd><code>${esc(created.appid)}</code></dd><dt>appsecret</dt><dd><code>${esc(created.appsecret)}</code></dd></dl>
<p class="warn">密钥只显示这一次, 平台只保存其加密形式; 离开本页后无法再次查看, 遗失只能轮换。</p></div>`
    : '';
  const rows = apps
    .map(
      (
        a,
      ) => `<tr data-app="${esc(a.appid)}"><td><a href="${CONSOLE_PREFIX}/apps/${encodeURIComponent(a.appid)}">${esc(a.appid)}</a></td>
<td>${esc(a.name)}</td><td>${MODE_LABEL[a.mode]}</td><td>${a.disabled ? '<span class="state-fail">停用</span>' : '启用'}</td>
<td>${a.channels.map(esc).join(', ')}</td>
<td>${a.mode === 'sandbox' ? '<span class="muted">模拟渠道</span>' : a.gateways.map((g) => `${esc(GATEWAY_LABEL[g.gateway as Gateway] ?? g.gateway)} ${SECRET_SET} (${when(g.updatedAt)})`).join('<br>') || '<span class="state-exp">未配置</span>'}</td></tr>`,
    )
    .join('');
  return `${once}<table class="apps"><thead><tr><th>appid</th><th>名称</th><th>模式</th><th>状态</th><th>支付渠道</th><th>商户参数</th></tr></thead><tbody>${rows}</tbody></table>
<div class="card"><h3>新增应用</h3><form method="post" action="${CONSOLE_PREFIX}/apps" class="stack">${csrfField(session)}
<div class="search"><label>名称<input name="name" required maxlength="64" placeholder="XX医院"></label>
<label class="check"><input type="checkbox" name="sandbox" value="1">沙箱应用 (只收模拟资金)</label>
<label>外部 HIS 地址 (可选)<input name="hisUrl" maxlength="200" placeholder="https://his.example/api"></label>
<label>HIS 共享密钥<input type="password" name="hisKey" maxlength="256" autocomplete="off"></label></div>
<h4>支付渠道</h4>${channelBoxes(new Set(Object.keys(CHANNEL)))}
<button class="primary" type="submit">创建应用</button></form></div>`;
}

function settingsForm(session: ConsoleSession, app: AppView): string {
  const s = app.settings;
  const box = (name: string, on: boolean, label: string) =>
    `<label class="check"><input type="checkbox" name="${name}" value="true"${on ? ' checked' : ''}>${label}</label>`;
  return `<div class="card"><h3>基本设置</h3><form method="post" action="${CONSOLE_PREFIX}/apps/${encodeURIComponent(app.appid)}/settings" class="search">${csrfField(session)}
<label>未支付订单有效期 (分钟)<input name="orderTtlMinutes" inputmode="numeric" maxlength="4" value="${s.orderTtlMinutes ?? ''}" placeholder="平台默认"></label>
${box('strictParams', s.strictParams, '严格参数 (未定义字段报 020000)')}
${box('allowInsecureHttp', s.allowInsecureHttp, '允许明文 http (HIS、通知地址)')}
${box('disabled', s.disabled, '停用此应用 (调用答 010004)')}
<label>外部 HIS 地址<input name="hisUrl" maxlength="200" value="${esc(s.his?.baseUrl ?? '')}" placeholder="不使用外部 HIS"></label>
<label>HIS 共享密钥<input type="password" name="hisKey" maxlength="256" autocomplete="off" placeholder="${s.his ? `${SECRET_SET}, 留空保持不变` : ''}"></label>
<button class="primary" type="submit">保存设置</button></form></div>`;
}

function channelsForm(session: ConsoleSession, app: AppView): string {
  return `<div class="card"><h3>支付渠道</h3><form method="post" action="${CONSOLE_PREFIX}/apps/${encodeURIComponent(app.appid)}/channels">${csrfField(session)}
<p class="muted">未勾选的渠道, 此应用的交易请求将被拒绝。</p>${channelBoxes(new Set(app.channels))}
<button class="primary" type="submit">保存渠道</button></form></div>`;
}

function gatewayForm(session: ConsoleSession, app: AppView, gateway: Gateway): string {
  const stored = app.gateways.find((g) => g.gateway === gateway);
  const inputs = CREDENTIAL_FIELDS[gateway]
    .map((f) => {
      const has = Boolean(stored?.fields[f.name]);
      if (f.writeOnly) {
        const hint = has ? `${SECRET_SET}, 留空保持不变` : '未设置';
        return f.multiline
          ? `<label class="wide">${esc(f.label)} <span class="${has ? 'set' : 'muted'}">${hint}</span><textarea name="${f.name}" rows="3" autocomplete="off" spellcheck="false"></textarea></label>`
          : `<label>${esc(f.label)} <span class="${has ? 'set' : 'muted'}">${hint}</span><input type="password" name="${f.name}" autocomplete="off"></label>`;
      }
      return `<label>${esc(f.label)}<input name="${f.name}" value="${esc(stored?.fields[f.name] ?? '')}" maxlength="200"></label>`;
    })
    .join('');
  return `<div class="card"><h3>${GATEWAY_LABEL[gateway]} 商户参数 ${stored ? `<span class="muted">已配置, 更新于 ${when(stored.updatedAt)}</span>` : '<span class="state-exp">未配置</span>'}</h3>
<form method="post" action="${CONSOLE_PREFIX}/apps/${encodeURIComponent(app.appid)}/gateways/${gateway}" class="search">${csrfField(session)}${inputs}
<button class="primary" type="submit">保存${GATEWAY_LABEL[gateway]}参数</button></form></div>`;
}

/** One app: its settings, its channels and (live apps) each gateway's merchant credentials, secrets write-only. */
export function appHtml(session: ConsoleSession, app: AppView, gateways: readonly Gateway[]): string {
  const facts = `<div class="card"><dl class="facts"><dt>appid</dt><dd>${esc(app.appid)}</dd><dt>名称</dt><dd>${esc(app.name)}</dd>
<dt>模式</dt><dd>${MODE_LABEL[app.mode]}</dd><dt>状态</dt><dd>${app.settings.disabled ? '停用' : '启用'}</dd></dl>
<p class="muted">密钥与证书只写不读: 页面只显示"${SECRET_SET}"和更新时间; 留空的字段保持原值。每次修改都记入审计日志 (密钥以"${SECRET_SET}"代替)。</p></div>`;
  const merchant =
    app.mode === 'live'
      ? gateways.map((g) => gatewayForm(session, app, g)).join('')
      : '<div class="card"><p class="muted">沙箱应用的渠道为模拟渠道, 不需要商户参数。</p></div>';
  return `${facts}${settingsForm(session, app)}${channelsForm(session, app)}${merchant}`;
}
