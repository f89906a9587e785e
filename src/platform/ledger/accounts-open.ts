import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Answer, fail } from '../../protocol/codes.js';
import { text } from '../../protocol/text.js';
import type { PatientData } from '../privacy/patient-data.js';
import type { AccountTable, Schema } from '../store/index.js';
import { findAccount } from './accounts.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** The spec's "通用统一预交金开户字段": required only when the first recharge opens the account. */
const OPENING_FIELDS = ['userSex', 'cardZone', 'idType', 'mobilePhone'] as const;

export interface PatientInput {
  readonly appid: string;
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
  readonly hisCustId: string;
  readonly userName: string;
  readonly idNo: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Checks that a recharge may go to this patient's account: an existing
 * account must be normal and belong to the same HIS patient; a missing one
 * needs the opening fields. Answers the spec code, or null when fine.
 */
export function checkPatient(account: AccountTable | undefined, p: PatientInput): Answer | null {
  if (account) {
    if (account.status !== '01') {
      const label = { '02': '挂失', '03': '冻结', '04': '注销' }[account.status] ?? account.status;
      return fail('031003', `预交金账户已${label}, 不能充值`);
    }
    if (account.his_cust_id !== p.hisCustId) return fail('031003', '患者院内ID (hisCustId) 与账户不符');
    return null;
  }
  for (const field of OPENING_FIELDS) {
    if (text(p.extra[field]) === '') return fail('020001', `extra.${field} (首次充值开户必填)`);
  }
  return null;
}

/**
 * Finds or opens the account inside the caller's transaction; the unique key
 * makes a concurrent open harmless. The ID and phone numbers are stored sealed,
 * the ID number also as its keyed hash (found by face identity).
 */
export async function ensureAccount(
  trx: Db,
  p: PatientInput,
  now: number,
  numbers: PatientData,
): Promise<AccountTable> {
  const key = { appid: p.appid, cardType: p.cardType, cardNo: p.cardNo, accountType: p.accountType };
  const found = await findAccount(trx, key);
  if (found) return found;
  const profile = Object.fromEntries(
    ['address', 'career', 'workUnit', 'birthday', 'hisTraceNo'].map((k) => [k, text(p.extra[k])]),
  );
  await trx
    .insertInto('accounts')
    .values({
      account_no: `A${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`,
      appid: p.appid,
      card_type: p.cardType,
      card_no: p.cardNo,
      account_type: p.accountType,
      his_cust_id: p.hisCustId,
      user_name: p.userName,
      id_no: numbers.seal(p.idNo) || null,
      id_no_hash: numbers.lookupHash(p.idNo) || null,
      id_type: text(p.extra['idType']) || null,
      user_sex: text(p.extra['userSex']) || null,
      mobile_phone: numbers.seal(text(p.extra['mobilePhone'])) || null,
      card_zone: text(p.extra['cardZone']) || null,
      profile: JSON.stringify(profile),
      status: '01',
      balance_fen: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['appid', 'card_type', 'card_no', 'account_type']).doNothing())
    .execute();
  const opened = await findAccount(trx, key);
  if (!opened) throw new Error('account vanished after opening');
  return opened;
}
