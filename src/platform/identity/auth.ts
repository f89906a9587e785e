import { type Answer, fail } from '../../protocol/codes.js';
import type { Handler } from '../gateway/context.js';
import { identityProviders } from './sandbox.js';
import { findSession, openSession, paramHash, settle } from './sessions.js';

/**
 * hop.esccard.auth.qr. The answer is always 000000 with authStatus: ing
 * (with the authorisation QR's URL in param.qrcode) until the patient
 * approves (succ, with the identity), declines (cancel) or the provider
 * refuses or the session expires (fail). Ask again with the same outAuthorizeNo.
 */
export const esccardAuth: Handler<'hop.esccard.auth.qr'> = async (
  { app, platform, now },
  param,
): Promise<Answer> => {
  const db = platform.store.db;
  const provider = identityProviders(platform, app)?.auth;
  if (!provider) return fail('032001', '电子社保卡授权尚未为本院配置');
  const outNo = param.outAuthorizeNo;
  let session = await findSession(db, app.appid, 'auth', outNo);
  if (session && session.request_hash !== paramHash(param, platform.patientData)) {
    return fail('030001', `outAuthorizeNo ${outNo} 已用于另一次授权`);
  }
  session ??= await openSession(
    db,
    { appid: app.appid, kind: 'auth', outNo, param, now },
    platform.patientData,
  );
  const token = session.token;
  const outcome = await settle(db, session, () => provider.outcome(token), now, platform.patientData);
  const ok = (p: Record<string, unknown>, msg = '处理成功'): Answer => ({
    respCode: '000000',
    respMsg: msg,
    param: p,
  });
  if (outcome.state === 'ing')
    return ok({ authStatus: 'ing', qrcode: provider.urlFor(token) }, '等待患者授权');
  if (outcome.state !== 'succ' || !outcome.person) {
    return ok(
      { authStatus: outcome.state },
      outcome.reason ?? (outcome.state === 'cancel' ? '患者取消授权' : '授权失败'),
    );
  }
  const p = outcome.person;
  return ok({
    authStatus: 'succ',
    idType: p.idType,
    idNo: p.idNo,
    userName: p.name,
    userSex: p.sex,
    mobilePhone: p.phone,
    birthday: p.birthday,
    telephone: p.telephone,
    address: p.address,
    workUnit: p.workUnit,
    cardType: p.cardType,
    cardNo: p.cardNo,
  });
};
