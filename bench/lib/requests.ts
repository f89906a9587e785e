import {
  keysFromSecret,
  openEnvelope,
  parseEnvelope,
  type Suite,
  sealRequest,
} from '../../src/protocol/envelope/index.js';

/** The operations the benchmark drives, each a real payTrans request of the spec. */
export type Op = 'recharge' | 'query' | 'refund';

export interface Credentials {
  readonly appid: string;
  readonly secret: string;
  readonly suite: Suite;
}

const OPERATOR = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
/** Opening fields of a first recharge; deskflak 1 so cash completes at once (no cashier desk). */
const OPENING = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
/**
 * Patients per load worker: recharges spread over them like a day at a
 * hospital's desks, and one account is not a hot row for every request.
 */
export const PATIENTS_PER_WORKER = 200;

function card(tag: string, n: number) {
  return { ...OPERATOR, cardType: '03', cardNo: `B${tag}P${n % PATIENTS_PER_WORKER}`, accountType: '01' };
}

/** The pindata of operation `op` number `n` of the worker tagged `tag`. */
export function pindata(op: Op, tag: string, n: number): string {
  const patient = card(tag, n);
  const hisCustId = `H${tag}P${n % PATIENTS_PER_WORKER}`;
  const outChargeNo = `C${tag}N${n}`;
  if (op === 'recharge') {
    return JSON.stringify({
      transType: 'hop.trade.recharge',
      param: {
        ...patient,
        hisCustId,
        userName: '李四',
        idNo: '',
        amount: '1.00',
        outChargeNo,
        depositType: 'CASH',
        extra: OPENING,
      },
    });
  }
  if (op === 'query') {
    return JSON.stringify({
      transType: 'hop.trade.query',
      param: { ...patient, tradeType: 'hop.trade.recharge', outTradeNo: outChargeNo },
    });
  }
  return JSON.stringify({
    transType: 'hop.trade.refund',
    param: {
      ...patient,
      hisCustId,
      amount: '0.01',
      withdrawMode: '0',
      refundType: 'hisDecide',
      traceNo: '',
      outChargeNo,
      outRefundNo: `R${tag}N${n}`,
      tradeChannel: 'CASH',
      refundDeskMode: '1',
      extra: { deskflak: '1' },
    },
  });
}

/**
 * A recharge left at the cashier's desk (deskflak 0) on terminal `termNo`:
 * the order waits in "init" with a desk and its terminal's extension screen
 * (bench --screens opens their live streams).
 */
export function deskRechargePindata(tag: string, n: number, termNo: string): string {
  const request = JSON.parse(pindata('recharge', tag, n)) as { param: Record<string, unknown> };
  request.param['termNo'] = termNo;
  request.param['extra'] = { ...OPENING, deskflak: '0' };
  return JSON.stringify(request);
}

export interface Sealed {
  readonly body: Buffer;
  readonly nonce: string;
}

export function seal(creds: Credentials, plaintext: string): Sealed {
  const keys = keysFromSecret(creds.secret, creds.suite);
  const env = sealRequest({ appid: creds.appid, suite: creds.suite, keys, plaintext });
  return { body: Buffer.from(JSON.stringify(env)), nonce: env.nonce };
}

/** The plaintext answer inside a sealed one, or why it could not be read (an unsealed answer names its code). */
export function openAnswer(
  creds: Credentials,
  body: Buffer,
  reqNonce: string,
): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'not-json';
  }
  if (value !== null && typeof value === 'object' && 'respCode' in value && !('ct' in value)) {
    return `plain:${String((value as { respCode: unknown }).respCode)}`;
  }
  const parsed = parseEnvelope(value);
  if (!parsed.ok) return `bad-envelope:${parsed.answer.respCode}`;
  const keys = keysFromSecret(creds.secret, creds.suite);
  const opened = openEnvelope(parsed.env, keys, {
    direction: 'resp',
    reqNonce,
    now: Math.floor(Date.now() / 1000),
  });
  if (!opened.ok) return `unverified:${opened.answer.respCode}`;
  try {
    const answer: unknown = JSON.parse(opened.plaintext);
    return answer !== null && typeof answer === 'object'
      ? (answer as Record<string, unknown>)
      : 'plaintext-not-object';
  } catch {
    return 'plaintext-not-json';
  }
}

/** The respCode inside a sealed answer, or why it could not be read. */
export function answerCode(creds: Credentials, body: Buffer, reqNonce: string): string {
  const answer = openAnswer(creds, body, reqNonce);
  return typeof answer === 'string' ? answer : String(answer['respCode']);
}
