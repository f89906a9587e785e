import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../../protocol/canonical-json.js';
import type { Answer } from '../../protocol/codes.js';
import { text } from '../../protocol/text.js';
import { beijing14 } from '../../protocol/time.js';
import type { CallContext } from '../gateway/context.js';
import type { NotifyMessageTable, Schema } from '../store/index.js';
import { channelsOf, loadNotifyConfig, type NotifyChannel } from './config.js';
import { PUSH_KINDS, type PushTransType } from './kinds.js';

type Db = Kysely<Schema> | Transaction<Schema>;
type NotifyState = 'succ' | 'fail' | 'ing';

/** Outbox topics of patient notifications; the worker claims only these. */
const TOPIC: Record<NotifyChannel, string> = {
  centre: 'notify.centre',
  webhook: 'notify.webhook',
  wechat: 'notify.wechat',
};
export const NOTIFY_TOPICS = Object.values(TOPIC);

/**
 * The spec's pushes carry no merchant number, so the business content is the
 * key: transType + every field (ID and phone numbers as their keyed hash),
 * plus the Beijing day it arrived on. A HIS
 * retrying after a timeout gets the first message back; the same overpay
 * reminder sent again tomorrow is a new message, as it should be.
 */
export function dedupeKey(transType: string, param: Record<string, unknown>, now: number): string {
  const day = beijing14(now).slice(0, 8);
  return createHash('sha256')
    .update(`${transType}\n${day}\n${canonicalJson(param)}`)
    .digest('hex');
}

/** Remote insurance (feeType 02): the spec says the platform records it and does not tell the patient. */
function isPushedToPatient(transType: PushTransType, param: Record<string, unknown>): boolean {
  return !(transType === 'hop.mmpay.msg.push' && param['feeType'] === '02');
}

function eventId(messageId: string, channel: NotifyChannel): string {
  return `${messageId}.${channel}`;
}

/**
 * The delivery state of one message, from its outbox rows of routes that
 * reach the patient (webhook, WeChat). The message centre holds the message
 * but tells nobody: a hospital with no route configured gets `fail`, never a
 * `succ` that would say the patient was told.
 */
async function messageState(
  db: Db,
  message: NotifyMessageTable,
): Promise<{ state: NotifyState; at: number }> {
  if (message.pushed === 0) return { state: 'fail', at: message.created_at };
  const rows = await db
    .selectFrom('outbox')
    .select(['state', 'updated_at'])
    .where('event_id', 'like', `${message.message_id}.%`)
    .where('event_id', '!=', eventId(message.message_id, 'centre'))
    .execute();
  if (rows.length === 0) return { state: 'fail', at: message.created_at };
  if (rows.some((r) => r.state === 'ing')) return { state: 'ing', at: message.created_at };
  if (rows.every((r) => r.state === 'succ')) {
    return { state: 'succ', at: Math.max(...rows.map((r) => r.updated_at)) };
  }
  return { state: 'fail', at: Math.max(...rows.map((r) => r.updated_at)) };
}

function respMsgFor(message: NotifyMessageTable, state: NotifyState): string {
  if (message.pushed === 0) return '处理成功: 异地医保患者的单据已记录, 按规定不推送给患者';
  if (state === 'fail') return '处理成功: 消息已记录在消息中心, 但未能送达患者 (未配置推送通道或推送失败)';
  return '处理成功';
}

async function answerFor(db: Db, message: NotifyMessageTable): Promise<Answer> {
  const { state, at } = await messageState(db, message);
  return {
    respCode: '000000',
    respMsg: respMsgFor(message, state),
    param: { notifyState: state, notifyTime: beijing14(at) },
  };
}

async function findByKey(db: Db, appid: string, key: string): Promise<NotifyMessageTable | undefined> {
  return db
    .selectFrom('notify_messages')
    .selectAll()
    .where('appid', '=', appid)
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
}

/**
 * One push request: the message and its outbox rows in one transaction, so a
 * message is never without its deliveries nor a delivery without its message.
 * The built-in message centre is delivered by being written.
 */
export async function acceptPush(
  ctx: CallContext,
  transType: PushTransType,
  param: Record<string, unknown>,
): Promise<Answer> {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const numbers = platform.patientData;
  const key = dedupeKey(transType, numbers.hashableFields(param), now);
  const existing = await findByKey(db, app.appid, key);
  if (existing) return answerFor(db, existing);

  const pushed = isPushedToPatient(transType, param);
  const channels = pushed ? channelsOf(await loadNotifyConfig(platform, app.appid)) : [];
  const message: NotifyMessageTable = {
    message_id: `N${beijing14(now)}${randomBytes(6).toString('hex')}`,
    appid: app.appid,
    trans_type: transType,
    dedupe_key: key,
    kind: PUSH_KINDS[transType],
    pushed: pushed ? 1 : 0,
    view_token: randomBytes(18).toString('base64url'),
    user_name: text(param['userName']),
    id_no: numbers.seal(text(param['idNo'])),
    id_no_hash: numbers.lookupHash(text(param['idNo'])) || null,
    card_type: text(param['cardType']),
    card_no: text(param['cardNo']),
    account_type: text(param['accountType']),
    param: JSON.stringify(numbers.sealFields(param)),
    created_at: now,
  };
  const inserted = await db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto('notify_messages')
      .values(message)
      .onConflict((oc) => oc.columns(['appid', 'dedupe_key']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
    for (const channel of channels) {
      const centre = channel === 'centre';
      await trx
        .insertInto('outbox')
        .values({
          event_id: eventId(message.message_id, channel),
          appid: app.appid,
          topic: TOPIC[channel],
          payload: JSON.stringify({ messageId: message.message_id, channel }),
          state: centre ? 'succ' : 'ing',
          attempts: centre ? 1 : 0,
          next_at: now,
          last_error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    return true;
  });
  // A concurrent identical push won the key: answer with its message.
  const stored = inserted ? message : await findByKey(db, app.appid, key);
  if (!stored) throw new Error('push message vanished after a key conflict');
  if (inserted) {
    platform.log.info(
      { messageId: message.message_id, transType, channels, pushed },
      'push message accepted',
    );
  }
  return answerFor(db, stored);
}

export async function findMessageByToken(db: Db, token: string): Promise<NotifyMessageTable | undefined> {
  return db.selectFrom('notify_messages').selectAll().where('view_token', '=', token).executeTakeFirst();
}

export async function findMessage(db: Db, messageId: string): Promise<NotifyMessageTable | undefined> {
  return db.selectFrom('notify_messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}
