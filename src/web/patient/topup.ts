import { randomBytes } from 'node:crypto';
import type { AccountKey } from '../../platform/ledger/accounts.js';
import { findAccount } from '../../platform/ledger/accounts.js';
import type { Platform } from '../../platform/platform.js';
import { recharge } from '../../platform/trades/recharge/recharge.js';
import { PHONE_CHANNELS } from '../../protocol/channels.js';
import { formatFen } from '../../protocol/money.js';
import { beijing14 } from '../../protocol/time.js';
import { validatePindata } from '../../protocol/validate.js';

type TopUp = { ok: true; payUrl: string; traceNo: string } | { ok: false; message: string };

/**
 * A deposit top-up from a patient page (the 补缴 button, the wristband page):
 * an ordinary hop.trade.recharge of the platform, validated like one from a
 * HIS, so the money takes the same road (channel, ledger, notifications).
 */
export async function topUpDeposit(
  platform: Platform,
  key: AccountKey,
  amountFen: number,
  subject: string,
  termNo: string,
): Promise<TopUp> {
  const app = await platform.apps.find(key.appid);
  if (!app) return { ok: false, message: '医院未开通此服务' };
  const account = await findAccount(platform.store.db, key);
  if (!account) return { ok: false, message: '未找到住院预交金账户, 请到住院处窗口办理' };
  if (account.status !== '01') return { ok: false, message: '预交金账户状态异常, 请到住院处窗口办理' };
  const [channel] = await platform.channels.usable(app, PHONE_CHANNELS);
  if (!channel) return { ok: false, message: '医院未开通手机扫码支付' };
  const now = platform.clock();
  const checked = validatePindata({
    transType: 'hop.trade.recharge',
    param: {
      operatorId: 'H5',
      termNo,
      operatorName: '患者自助',
      cardType: account.card_type,
      cardNo: account.card_no,
      accountType: account.account_type,
      hisCustId: account.his_cust_id,
      userName: account.user_name,
      idNo: platform.patientData.open(account.id_no),
      amount: formatFen(amountFen),
      // A fresh number per press: an earlier unpaid order may have expired.
      outChargeNo: `H5${beijing14(now)}${randomBytes(5).toString('hex')}`,
      depositType: channel,
      subject,
      extra: { deskflak: '1' },
    },
  });
  if (!checked.ok) return { ok: false, message: checked.answer.respMsg };
  if (checked.transType !== 'hop.trade.recharge')
    throw new Error('a recharge validated as another transType');
  const answer = await recharge(
    { app, platform, transType: 'hop.trade.recharge', now },
    checked.param,
    checked.fen,
  );
  const p = (answer['param'] ?? {}) as Record<string, unknown>;
  const qrcode = typeof p['qrcode'] === 'string' ? p['qrcode'] : '';
  if (answer.respCode !== '000000' || !/^https?:\/\//.test(qrcode)) {
    platform.log.warn({ respCode: answer.respCode, respMsg: answer.respMsg }, 'patient top-up refused');
    return { ok: false, message: answer.respMsg };
  }
  return { ok: true, payUrl: qrcode, traceNo: String(p['traceNo'] ?? '') };
}
