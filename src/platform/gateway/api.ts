import { type Answer, fail, SpecError } from '../../protocol/codes.js';
import { openEnvelope, parseEnvelope, sealResponse } from '../../protocol/envelope/index.js';
import { validatePindata } from '../../protocol/validate.js';
import { maskForLog } from '../log/mask.js';
import { INVALID, instruments, REFUSED, secondsSince } from '../metrics/instruments.js';
import type { Platform } from '../platform.js';
import { callLogLevel } from './desk-log.js';
import { dispatch } from './dispatch.js';
import { claimNonce } from './nonces.js';

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  /** Names this call in the platform's log (and in the X-Request-Id header), so one call can be followed. */
  readonly requestId: string;
  /** Set when the call was refused before it was authenticated: for the log, never for the caller. */
  readonly refused?: { readonly appid: string; readonly code: string };
}

let calls = 0;
const PROCESS_TAG = process.pid.toString(36);

/** Unique across the processes of one host (pid) and within one (a counter): cheap, and readable in a log. */
function nextRequestId(): string {
  calls = (calls + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS_TAG}-${calls.toString(36)}`;
}

const { calls: answered, stage } = instruments;

/** Before the app is authenticated nothing can be sealed for it: plain JSON, and the client knows it is unverified. */
function plain(status: number, answer: Answer, requestId: string, appid = ''): HttpAnswer {
  answered.inc(REFUSED, answer.respCode);
  return {
    status,
    body: JSON.stringify(answer),
    requestId,
    refused: { appid: appid.slice(0, 64), code: answer.respCode },
  };
}

/**
 * One call of the API, framework-free: open the envelope, check replay,
 * validate against the catalog, dispatch, seal the answer. Nothing is
 * written before the envelope is proven authentic and fresh.
 */
export async function handleApiCall(
  platform: Platform,
  rawBody: string,
  requestId: string = nextRequestId(),
): Promise<HttpAnswer> {
  const began = performance.now();
  const parsed = parseEnvelope(rawBody);
  if (!parsed.ok) return plain(400, parsed.answer, requestId);
  const env = parsed.env;
  const app = await platform.apps.find(env.appid);
  if (!app)
    return plain(401, fail('010004', `应用编号 ${env.appid.slice(0, 64)} 未注册`), requestId, env.appid);
  if (app.config.disabled)
    return plain(401, fail('010004', `应用 ${app.appid} 已停用`), requestId, app.appid);
  const now = platform.clock();
  const open = (which: 'current' | 'previous') => {
    const keys = platform.apps.keysFor(app, env.suite, which);
    const opened = openEnvelope(env, keys, {
      direction: 'req',
      now: Math.floor(now / 1000),
      windowSeconds: platform.windowSeconds,
    });
    return { keys, opened };
  };
  let { keys, opened } = open('current');
  // After a rotation the old secret still opens requests until its grace period ends (app rotate-secret).
  if (!opened.ok && opened.answer.respCode === '010005' && (app.previousSecret?.until ?? 0) > now) {
    ({ keys, opened } = open('previous'));
  }
  if (!opened.ok) return plain(401, opened.answer, requestId, app.appid);
  // Opening and sealing are one stage: the envelope's cost to a call.
  let envelopeMs = performance.now() - began;

  const reply = (answer: Answer): HttpAnswer => {
    const sealing = performance.now();
    const body = JSON.stringify(
      sealResponse({
        appid: app.appid,
        suite: env.suite,
        keys,
        plaintext: JSON.stringify(answer),
        reqNonce: env.nonce,
      }),
    );
    envelopeMs += performance.now() - sealing;
    stage.envelope.observe(envelopeMs / 1000);
    stage.call.observe(secondsSince(began));
    return { status: 200, requestId, body };
  };

  const claiming = performance.now();
  const fresh = await claimNonce(platform.store, app.appid, env.nonce, Number(env.ts));
  stage.replay.observe(secondsSince(claiming));
  if (!fresh) return plain(401, fail('000002', '报文重放: 该 nonce 已使用过'), requestId, app.appid);
  const validating = performance.now();
  const checked = validatePindata(opened.plaintext, { strict: app.config.strictParams === true });
  stage.validation.observe(secondsSince(validating));
  if (checked.ok && checked.ignored && platform.log.isLevelEnabled('debug')) {
    // Names only: the values may be anything a HIS put there, personal data included.
    platform.log.debug(
      { requestId, fields: Object.keys(checked.ignored).slice(0, 20) },
      'fields the table does not list, ignored',
    );
  }
  // One structured line per authenticated call; personal data masked, secrets never (see log/mask.ts).
  const logged = (answer: Answer, transType: string, param?: Record<string, unknown>): HttpAnswer => {
    answered.inc(transType, answer.respCode);
    const level = callLogLevel(answer);
    if (platform.log.isLevelEnabled(level)) {
      platform.log[level](
        {
          requestId,
          appid: app.appid,
          mode: app.mode,
          transType,
          respCode: answer.respCode,
          ms: platform.clock() - now,
          ...(param ? { param: maskForLog(param) } : {}),
        },
        'payTrans',
      );
    }
    return reply(answer);
  };
  if (!checked.ok) return logged(checked.answer, INVALID);
  const handling = performance.now();
  try {
    const answer = await dispatch({ app, platform, transType: checked.transType, now }, checked);
    stage.handler.observe(secondsSince(handling));
    return logged(answer, checked.transType, checked.param);
  } catch (error) {
    stage.handler.observe(secondsSince(handling));
    if (error instanceof SpecError) return logged(error.toAnswer(), checked.transType, checked.param);
    // An unexpected failure: the outcome of a money movement may be unknown, so 999999 tells the HIS to query.
    platform.log.error(
      { err: error, requestId, transType: checked.transType, param: maskForLog(checked.param) },
      'call failed',
    );
    answered.inc(checked.transType, '999999');
    return reply(fail('999999', '平台内部错误, 请查询交易结果后再决定是否重试'));
  }
}
