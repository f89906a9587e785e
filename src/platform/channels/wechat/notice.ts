import { createDecipheriv, createVerify } from 'node:crypto';
import type { GatewayDeps } from '../live/gateways.js';
import type { ChannelNotice, NoticeOutcome } from '../types.js';
import type { WechatConfig } from './config.js';
import { channelOfTradeType } from './states.js';

/** WeChat Pay refuses to trust a message signed more than this long ago (or ahead). */
export const NOTICE_WINDOW_SECONDS = 300;

function header(notice: ChannelNotice, name: string): string {
  const value = notice.headers[name.toLowerCase()] ?? notice.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function refuse(status: number, message: string): NoticeOutcome {
  return {
    reply: { status, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) },
  };
}

interface Resource {
  algorithm?: string;
  ciphertext?: string;
  associated_data?: string;
  nonce?: string;
}

/** AEAD_AES_256_GCM with the APIv3 key: the last 16 bytes of the ciphertext are the tag. */
function decryptResource(resource: Resource, key: Buffer): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM' || !resource.ciphertext || !resource.nonce)
    throw new Error('unsupported resource');
  const raw = Buffer.from(resource.ciphertext, 'base64');
  if (raw.length < 17) throw new Error('short ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * A notification from WeChat Pay: the signature over
 * `timestamp\nnonce\nbody\n` checked with the platform key named by
 * Wechatpay-Serial, the timestamp within 300 s of now, the resource decrypted
 * with the APIv3 key and its merchant and app checked against the config.
 * Only then is the payment named (the platform asks WeChat Pay before
 * anything moves). Answered 204 when taken, 4xx/5xx with {code,message} when
 * not (WeChat Pay then sends it again).
 */
export function handleWechatNotice(
  config: WechatConfig,
  deps: GatewayDeps,
  appid: string,
  notice: ChannelNotice,
): Promise<NoticeOutcome> {
  return Promise.resolve(verify(config, deps, appid, notice));
}

function verify(
  config: WechatConfig,
  deps: GatewayDeps,
  appid: string,
  notice: ChannelNotice,
): NoticeOutcome {
  if (appid !== deps.appid) return refuse(404, '商户不匹配');
  const timestamp = header(notice, 'Wechatpay-Timestamp');
  const nonce = header(notice, 'Wechatpay-Nonce');
  const signature = header(notice, 'Wechatpay-Signature');
  const serial = header(notice, 'Wechatpay-Serial');
  if (!/^\d{1,12}$/.test(timestamp) || !nonce || !signature) return refuse(401, '缺少签名头');
  if (serial !== config.platformSerial) return refuse(401, '平台证书序列号不符');
  const skew = Math.abs(Math.floor(deps.clock() / 1000) - Number(timestamp));
  if (skew > NOTICE_WINDOW_SECONDS) return refuse(401, '通知时间戳超出 300 秒');
  const genuine = createVerify('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${notice.body}\n`)
    .verify(config.platformKey, signature, 'base64');
  if (!genuine) return refuse(401, '签名错误');

  let plain: Record<string, unknown>;
  let eventType: string;
  try {
    const envelope = JSON.parse(notice.body) as { event_type?: string; resource?: Resource };
    eventType = String(envelope.event_type ?? '');
    plain = JSON.parse(decryptResource(envelope.resource ?? {}, config.apiV3Key)) as Record<string, unknown>;
  } catch {
    deps.log.warn(
      { gateway: 'wechat', appid },
      'wechat notice: resource does not decrypt with the APIv3 key',
    );
    return refuse(400, '通知资源解密失败');
  }
  const mchid = config.subMchid ? plain['sp_mchid'] : plain['mchid'];
  const wxAppid = config.subMchid ? (plain['sp_appid'] ?? config.appid) : plain['appid'];
  // Refund notices carry the merchant number only.
  if (mchid !== config.mchid || (eventType.startsWith('TRANSACTION') && wxAppid !== config.appid))
    return refuse(400, '商户号或应用号不符');
  const taken = { status: 204, contentType: 'application/json', body: '' } as const;
  const traceNo = plain['out_trade_no'];
  if (!eventType.startsWith('TRANSACTION') || typeof traceNo !== 'string') return { reply: taken };
  return {
    reply: taken,
    payment: { appid, traceNo, channel: channelOfTradeType(plain['trade_type'], 'WX_QR') },
  };
}
