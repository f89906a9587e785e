import type { Answer } from './codes.js';

/**
 * What a HIS must know about print mode (打印模式: extra.deskflak 1 on a QR
 * channel): the platform answers at once, before anyone paid. One text, read
 * by the generated reference, the CLI's warning and the guides' tests.
 */
export const PRINT_MODE_WARNING =
  '打印模式 (extra.deskflak=1 且渠道为二维码渠道, 如 WX_QR / ALI_QR / ONE_QR / UP_QR): 平台立即应答 respCode 000000, ' +
  '但 param.tradeState 为 1 (待交易) 并带 qrcode —— 此时钱尚未收到! 000000 只表示二维码已生成, tradeState 0 才表示已支付。' +
  '请打印或展示 qrcode, 待 hop.trade.query 查得 result=succ 后再记账; 只看 respCode 的 HIS 会把未支付的订单当作已支付。';

/** The one line the CLI prints on stderr under such an answer. */
export const UNPAID_QR_NOTICE =
  'respCode 000000 但 tradeState 1 (待交易): 二维码已生成, 钱尚未收到; 请患者扫码, 用 hop.trade.query 查得 result=succ 后再记账';

/** A 000000 that is no payment: a print-mode QR answer (tradeState 1 with a qrcode), still to be paid. */
export function isUnpaidQrAnswer(answer: Answer): boolean {
  if (answer.respCode !== '000000') return false;
  const param = answer['param'];
  if (typeof param !== 'object' || param === null) return false;
  const { tradeState, qrcode } = param as Record<string, unknown>;
  return tradeState === '1' && typeof qrcode === 'string' && qrcode !== '' && qrcode !== '0';
}
