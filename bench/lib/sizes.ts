import { keysFromSecret, sealResponse } from '../../src/protocol/envelope/index.js';
import { freshCredentials } from './phases.js';
import { RECHARGE_ANSWER } from './recharge-answer.js';
import { pindata, seal } from './requests.js';

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
