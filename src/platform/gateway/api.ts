import { type Answer, fail, SpecError } from '../../protocol/codes.js';
import {
  type Envelope,
  openEnvelope,
  parseEnvelope,
  type SuiteKeys,
  sealResponse,
} from '../../protocol/envelope/index.js';
import { validatePindata } from '../../protocol/validate.js';
import type { App } from '../apps/registry.js';
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

/** An authenticated call as the answering steps need it: one record, not a closure per step. */
interface OpenedCall {
  readonly platform: Platform;
  readonly app: App;
  readonly env: Envelope;
  readonly keys: SuiteKeys;
  readonly requestId: string;
  readonly began: number;
  /** The platform's clock when the call began, milliseconds. */
  readonly now: number;
  /** Opening and sealing are one stage: the envelope's cost to a call. */
  envelopeMs: number;
}

function openWith(call: Omit<OpenedCall, 'keys' | 'envelopeMs'>, which: 'current' | 'previous') {
  const keys = call.platform.apps.keysFor(call.app, call.env.suite, which);
  const opened = openEnvelope(call.env, keys, {
    direction: 'req',
    now: Math.floor(call.now / 1000),
    windowSeconds: call.platform.windowSeconds,
  });
  return { keys, opened };
}

function reply(call: OpenedCall, answer: Answer): HttpAnswer {
  const sealing = performance.now();
  const body = JSON.stringify(
    sealResponse({
      appid: call.app.appid,
      suite: call.env.suite,
      keys: call.keys,
      plaintext: JSON.stringify(answer),
      reqNonce: call.env.nonce,
    }),
  );
  call.envelopeMs += performance.now() - sealing;
  stage.envelope.observe(call.envelopeMs / 1000);
  stage.call.observe(secondsSince(call.began));
  return { status: 200, requestId: call.requestId, body };
}

/** One structured line per authenticated call; personal data masked, secrets never (see log/mask.ts). */
function logged(
  call: OpenedCall,
  answer: Answer,
  transType: string,
  param?: Record<string, unknown>,
): HttpAnswer {
  answered.inc(transType, answer.respCode);
  const { platform, app } = call;
  const level = callLogLevel(answer);
  if (platform.log.isLevelEnabled(level)) {
    platform.log[level](
      {
        requestId: call.requestId,
        appid: app.appid,
        mode: app.mode,
        transType,
        respCode: answer.respCode,
        ms: platform.clock() - call.now,
        ...(param ? { param: maskForLog(param) } : {}),
      },
      'payTrans',
    );
  }
  return reply(call, answer);
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
  const opening = { platform, app, env, requestId, began, now };
  let { keys, opened } = openWith(opening, 'current');
  // After a rotation the old secret still opens requests until its grace period ends (app rotate-secret).
  if (!opened.ok && opened.answer.respCode === '010005' && (app.previousSecret?.until ?? 0) > now) {
    ({ keys, opened } = openWith(opening, 'previous'));
  }
  if (!opened.ok) return plain(401, opened.answer, requestId, app.appid);
  const call: OpenedCall = { ...opening, keys, envelopeMs: performance.now() - began };

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
  if (!checked.ok) return logged(call, checked.answer, INVALID);
  const handling = performance.now();
  try {
    const answer = await dispatch({ app, platform, transType: checked.transType, now }, checked);
    stage.handler.observe(secondsSince(handling));
    return logged(call, answer, checked.transType, checked.param);
  } catch (error) {
    stage.handler.observe(secondsSince(handling));
    if (error instanceof SpecError) return logged(call, error.toAnswer(), checked.transType, checked.param);
    // An unexpected failure: the outcome of a money movement may be unknown, so 999999 tells the HIS to query.
    platform.log.error(
      { err: error, requestId, transType: checked.transType, param: maskForLog(checked.param) },
      'call failed',
    );
    answered.inc(checked.transType, '999999');
    return reply(call, fail('999999', '平台内部错误, 请查询交易结果后再决定是否重试'));
  }
}
