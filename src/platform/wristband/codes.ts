import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ParamOf } from '../../protocol/catalog/index.js';
import { fail } from '../../protocol/codes.js';
import { formatFen } from '../../protocol/money.js';
import type { Handler } from '../gateway/context.js';
import { findAccount } from '../ledger/accounts.js';
import type { Platform } from '../platform.js';
import type { Schema, WristbandTable } from '../store/index.js';

/** 'wb' + 24 base64url characters: 144 random bits, inside the spec's Char(32). */
function newWristbandKey(): string {
  return `wb${randomBytes(18).toString('base64url')}`;
}

const WRISTBAND_KEY = /^wb[A-Za-z0-9_-]{24}$/;

function wristbandUrl(platform: Platform, key: string): string {
  return `${platform.publicUrl}/p/wb/${key}`;
}

/** A live code of this app, or why not: cancelled codes stop working the moment they are cancelled. */
export async function liveWristband(
  db: Kysely<Schema>,
  appid: string | undefined,
  key: string,
): Promise<{ ok: true; band: WristbandTable } | { ok: false; why: 'missing' | 'cancelled' }> {
  if (!WRISTBAND_KEY.test(key)) return { ok: false, why: 'missing' };
  let q = db.selectFrom('wristbands').selectAll().where('wb_key', '=', key);
  if (appid !== undefined) q = q.where('appid', '=', appid);
  const band = await q.executeTakeFirst();
  if (!band) return { ok: false, why: 'missing' };
  return band.state === 'active' ? { ok: true, band } : { ok: false, why: 'cancelled' };
}

async function findActive(db: Kysely<Schema>, appid: string, p: ParamOf<'portal.wb.getWristbandCode'>) {
  return db
    .selectFrom('wristbands')
    .selectAll()
    .where('appid', '=', appid)
    .where('card_type', '=', p.cardType)
    .where('card_no', '=', p.cardNo)
    .where('account_type', '=', p.accountType)
    .where('state', '=', 'active')
    .executeTakeFirst();
}

/**
 * portal.wb.getWristbandCode: one live code per patient account, so issuing
 * twice (a HIS retry, a reprinted wristband) gives the same key and Url.
 */
export const getWristbandCode: Handler<'portal.wb.getWristbandCode'> = async (
  { app, platform, now },
  param,
) => {
  const db = platform.store.db;
  const account = await findAccount(db, {
    appid: app.appid,
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
  });
  const accountIdNo = platform.patientData.open(account?.id_no);
  if (accountIdNo && accountIdNo !== param.idNo) {
    return fail('031003', '身份证号与预交金账户不符');
  }
  const answer = (band: WristbandTable) => ({
    respCode: '000000' as const,
    respMsg: '处理成功',
    param: { key: band.wb_key, Url: wristbandUrl(platform, band.wb_key) },
  });
  const live = await findActive(db, app.appid, param);
  if (live) return answer(live);
  const band: WristbandTable = {
    wb_key: newWristbandKey(),
    appid: app.appid,
    card_type: param.cardType,
    card_no: param.cardNo,
    account_type: param.accountType,
    id_no: platform.patientData.seal(param.idNo),
    id_type: param.idType,
    user_name: param.userName,
    hosp_name: param.hospName,
    operator_id: param.operatorId,
    state: 'active',
    created_at: now,
    cancelled_at: null,
  };
  try {
    await db.insertInto('wristbands').values(band).execute();
    return answer(band);
  } catch (error) {
    // The partial unique index refused a second live code: a concurrent issue won.
    const winner = await findActive(db, app.appid, param);
    if (winner) return answer(winner);
    throw error;
  }
};

/** portal.wb.queryAccount: the inpatient deposit account behind a live code. */
export const queryWristbandAccount: Handler<'portal.wb.queryAccount'> = async ({ app, platform }, param) => {
  const db = platform.store.db;
  const live = await liveWristband(db, app.appid, param.key);
  if (!live.ok) return fail('039001', live.why === 'cancelled' ? '腕带码已取消' : '腕带码不存在');
  const { band } = live;
  const account = await findAccount(db, {
    appid: app.appid,
    cardType: band.card_type,
    cardNo: band.card_no,
    accountType: band.account_type,
  });
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      balance: formatFen(account?.balance_fen ?? 0),
      idNo: platform.patientData.open(account?.id_no ?? band.id_no),
      userName: account?.user_name ?? band.user_name,
    },
  };
};

/** portal.wb.cancelQrCode: idempotent; the page and queryAccount refuse the key from this commit on. */
export const cancelWristband: Handler<'portal.wb.cancelQrCode'> = async ({ app, platform, now }, param) => {
  const db = platform.store.db;
  const key = param.key;
  const found = WRISTBAND_KEY.test(key)
    ? await db
        .selectFrom('wristbands')
        .select('state')
        .where('wb_key', '=', key)
        .where('appid', '=', app.appid)
        .executeTakeFirst()
    : undefined;
  if (!found) return fail('039001', '腕带码不存在');
  if (found.state === 'active') {
    await db
      .updateTable('wristbands')
      .set({ state: 'cancelled', cancelled_at: now })
      .where('wb_key', '=', key)
      .where('state', '=', 'active')
      .execute();
  }
  return { respCode: '000000', respMsg: '处理成功' };
};
