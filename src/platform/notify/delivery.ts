import { beijing14 } from '../../protocol/time.js';
import { allowsInsecureHttp } from '../apps/url-policy.js';
import type { Platform } from '../platform.js';
import type { NotifyMessageTable, OutboxTable } from '../store/index.js';
import { loadNotifyConfig, type NotifyChannel, notifyUrlRefusal } from './config.js';
import type { DeliveryResult } from './delivery-result.js';
import type { PushKind } from './kinds.js';
import { findMessage } from './messages.js';
import { renderMessage, wechatData } from './render.js';
import { sendWebhook } from './webhook.js';
import type { WechatSender } from './wechat.js';

type OutboxRow = Pick<OutboxTable, 'event_id' | 'appid' | 'payload'>;

interface DeliveryDeps {
  readonly platform: Platform;
  readonly wechat: WechatSender;
  readonly timeoutMs: number;
  readonly now: number;
}

/** The patient's page of a message: the card, which links to its detail. */
function messageUrl(platform: Platform, message: NotifyMessageTable): string {
  return `${platform.publicUrl}/p/m/${message.view_token}`;
}

/** The webhook body: the same bytes on every attempt, so a receiver can compare as well as dedupe. */
function webhookBody(platform: Platform, eventId: string, message: NotifyMessageTable): string {
  return JSON.stringify({
    eventId,
    messageId: message.message_id,
    transType: message.trans_type,
    kind: message.kind,
    appid: message.appid,
    createdAt: beijing14(message.created_at),
    url: messageUrl(platform, message),
    param: platform.patientData.openFields(JSON.parse(message.param) as unknown),
  });
}

function openIdOf(param: Record<string, unknown>): string {
  const extra = param['extra'];
  if (extra === null || typeof extra !== 'object') return '';
  const e = extra as Record<string, unknown>;
  const id = e['openId'] ?? e['openid'];
  return typeof id === 'string' ? id : '';
}

/** One attempt at one outbox row; never throws. */
export async function deliver(row: OutboxRow, deps: DeliveryDeps): Promise<DeliveryResult> {
  const { platform } = deps;
  let payload: { messageId?: unknown; channel?: unknown };
  try {
    payload = JSON.parse(row.payload) as typeof payload;
  } catch {
    return { ok: false, error: 'outbox payload is not JSON', permanent: true };
  }
  const message = await findMessage(platform.store.db, String(payload.messageId));
  if (!message) return { ok: false, error: 'message not found', permanent: true };
  const channel = payload.channel as NotifyChannel;
  if (channel === 'centre') return { ok: true };
  const config = await loadNotifyConfig(platform, row.appid);
  const app = await platform.apps.find(message.appid);
  // Checked at each delivery too: settings stored before the rule, or the app's switch turned off since.
  const refused = notifyUrlRefusal(config, app ? allowsInsecureHttp(app.config) : false);
  if (refused) return { ok: false, error: refused, permanent: true };
  if (channel === 'webhook') {
    if (!config.webhook) return { ok: false, error: 'webhook no longer configured', permanent: true };
    return sendWebhook(
      config.webhook,
      row.event_id,
      webhookBody(platform, row.event_id, message),
      deps.now,
      deps.timeoutMs,
    );
  }
  if (channel === 'wechat') {
    if (!config.wechat) return { ok: false, error: 'wechat no longer configured', permanent: true };
    const param = platform.patientData.openFields(JSON.parse(message.param) as Record<string, unknown>);
    const openId = openIdOf(param);
    if (openId === '') return { ok: false, error: '患者未提供 extra.openId', permanent: true };
    const view = renderMessage(message.kind as PushKind, param, app?.name ?? '');
    const templateId = config.wechat.templates[view.template];
    if (!templateId) return { ok: false, error: `未配置 ${view.template} 模板`, permanent: true };
    return deps.wechat.send(config.wechat, {
      touser: openId,
      template_id: templateId,
      url: messageUrl(platform, message),
      data: wechatData(view),
    });
  }
  return { ok: false, error: `unknown channel ${String(channel)}`, permanent: true };
}
