import { keysFromSecret, sealResponse } from '../../src/protocol/envelope/index.js';
import { freshCredentials } from './phases.js';
import { pindata, seal } from './requests.js';

/** A cash recharge's answer, as the platform seals it: the answer size of the ceilings, the envelope floor's reply. */
export const RECHARGE_ANSWER = JSON.stringify({
  respCode: '000000',
  respMsg: '处理成功',
  param: {
    chargeNo: '20240101120000a1b2c3d4e5f6',
    balance: '100.00',
    tradeMode: 'CASH',
    traceTime: '20240101120000',
    traceNo: '20240101120000a1b2c3d4e5f6',
    qrcode: '0',
    callsn: '',
    tradeState: '0',
    extra: {
      paytype: 'CASH',
      callsn: '',
      resNote: '充值成功',
      BankCardNo: '',
      posIssuingBank: '',
      BankCardType: '',
    },
  },
  extra: {
    paytype: 'CASH',
    callsn: '',
    resNote: '充值成功',
    BankCardNo: '',
    posIssuingBank: '',
    BankCardType: '',
  },
});

/**
 * Byte sizes of a sealed recharge request and of a sealed recharge answer:
 * the ceilings move exactly as many bytes, so the ratio compares work, not payload.
 */
export function sampleSizes(): { requestBytes: number; answerBytes: number } {
  const creds = freshCredentials();
  const request = seal(creds, pindata('recharge', 'SIZE', 1));
  const keys = keysFromSecret(creds.secret, creds.suite);
  const sealed = sealResponse({
    appid: creds.appid,
    suite: creds.suite,
    keys,
    plaintext: RECHARGE_ANSWER,
    reqNonce: request.nonce,
  });
  return { requestBytes: request.body.length, answerBytes: Buffer.byteLength(JSON.stringify(sealed)) };
}
