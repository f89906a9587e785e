import { type Answer, fail } from '../../protocol/codes.js';
import { formatFen } from '../../protocol/money.js';
import type { Handler } from '../gateway/context.js';
import type { Platform } from '../platform.js';
import { identityProviders } from './sandbox.js';
import { findSession, openSession, paramHash, settle } from './sessions.js';
import type { Person } from './types.js';

/** SelectCard of the spec: the patient's deposit accounts at this hospital, found by ID number. */
async function hisCards(platform: Platform, appid: string, person: Person) {
  const rows = await platform.store.db
    .selectFrom('accounts')
    .selectAll()
    .where('appid', '=', appid)
    .where('id_no_hash', '=', platform.patientData.lookupHash(person.idNo))
    .orderBy('created_at')
    .limit(50)
    .execute();
  return rows.map((a) => ({
    idNo: platform.patientData.open(a.id_no),
    cardNo: a.card_no,
    idType: a.id_type ?? '01',
    balance: formatFen(a.balance_fen),
    // SelectCard's status is 1 for 正常, where the deposit account says 01.
    status: a.status === '01' ? '1' : a.status,
    userSex: a.user_sex ?? '',
    accountType: a.account_type,
    userName: a.user_name,
    accountNo: a.account_no,
    hisCustID: a.his_cust_id,
    cardType: a.card_type,
  }));
}

/**
 * hop.face.query. The first call opens a face session and answers 040038 with
 * the face page's URL in param.qrcode; calling again with the same
 * outTradeNo answers the identity once the patient has been verified.
 */
export const faceQuery: Handler<'hop.face.query'> = async (
  { app, platform, now },
  param,
): Promise<Answer> => {
  const db = platform.store.db;
  const providers = identityProviders(platform, app);
  if (!providers) return fail('032001', '人脸识别尚未为本院配置');
  const outTradeNo = param.outTradeNo;
  let session = await findSession(db, app.appid, 'face', outTradeNo);
  if (session && session.request_hash !== paramHash(param, platform.patientData)) {
    return fail('030001', `outTradeNo ${outTradeNo} 已用于另一次人脸查询`);
  }
  session ??= await openSession(
    db,
    { appid: app.appid, kind: 'face', outNo: outTradeNo, param, now },
    platform.patientData,
  );
  const token = session.token;
  const outcome = await settle(db, session, () => providers.face.outcome(token), now, platform.patientData);
  if (outcome.state === 'ing') {
    return {
      ...fail('040038', '等待患者刷脸, 请稍候以同一 outTradeNo 再次查询'),
      param: { outTradeNo, qrcode: providers.face.urlFor(token) },
    };
  }
  if (outcome.state !== 'succ' || !outcome.person) {
    const why = outcome.state === 'cancel' ? '患者取消了刷脸' : (outcome.reason ?? '刷脸认证失败');
    return fail('039001', why);
  }
  const person = outcome.person;
  const out: Record<string, unknown> = {
    authimg_base_64: person.photoBase64,
    phone: person.phone,
    certName: person.name,
    certNo: person.idNo,
    certType: 'IDENTITY_CARD',
    outTradeNo,
  };
  const listType = param.CardListType;
  if (listType === '1') {
    const card = await providers.healthCards.lookup(person);
    if (card) Object.assign(out, card);
  } else if (listType === '2') {
    out['SelectCard'] = await hisCards(platform, app.appid, person);
  }
  return { respCode: '000000', respMsg: '处理成功', param: out };
};
