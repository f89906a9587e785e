import type { Platform } from '../platform.js';
import { liveWristband } from './codes.js';

/** A request param that may name a card (most tables have cardType and cardNo; some have neither). */
type NamesACard = { readonly cardType?: string; readonly cardNo?: string; readonly [field: string]: unknown };

/** 卡类型 07 腕带编码 of the request tables. */
const WRISTBAND_CARD_TYPE = '07';

/**
 * A wristband code names the patient's card wherever a card is named
 * (cardType 07, cardNo the code): the live code of this app stands for the
 * card it was issued for, so a recharge, a refund, a query or an account
 * lookup by wristband reaches the same account as by the card itself.
 * Anything else under 07 (a hospital's own wristband numbers, a cancelled
 * code) is left as the HIS sent it: an account may be kept under it.
 */
export async function resolveWristbandCard<P extends NamesACard>(
  platform: Platform,
  appid: string,
  param: P,
): Promise<P> {
  if (param.cardType !== WRISTBAND_CARD_TYPE) return param;
  const live = await liveWristband(platform.store.db, appid, param.cardNo ?? '');
  if (!live.ok) return param;
  return { ...param, cardType: live.band.card_type, cardNo: live.band.card_no };
}
