import type { TransTypeName } from '../protocol/catalog/index.js';
import { type Answer, fail } from '../protocol/codes.js';
import {
  keysFromSecret,
  MAX_REQUEST_PLAINTEXT_CHARS,
  peerTimeOf,
  readAnswer,
  type Suite,
  sealRequest,
} from '../protocol/envelope/index.js';
import { CLIENT_ANSWER_TIMEOUT_MS } from '../protocol/timeouts.js';
import { validatePindata } from '../protocol/validate.js';
import { type DeskOptions, deskOptionsFromEnv, deskUrlOf, showDesk, waitAtDesk } from './desk.js';
import { notThePlatform, post, type TransportOptions } from './transport.js';

/** Request param of a transType: strings, plus objects for extra/examList. */
export type Param = Record<string, unknown>;

export interface PayClientOptions {
  /** e.g. http://10.10.10.110:1301/onepay-web/oneweb/oneapi */
  readonly serveraddr: string;
  readonly appid: string;
  readonly appsecret: string;
  readonly suite?: Suite;
  readonly connectTimeoutMs?: number;
  /** How long to wait for an answer once sent; past it the outcome is unknown (-28). */
  readonly answerTimeoutMs?: number;
  /** The cashier desk (deskflak 0): how to show it and how long to wait; PAYCLIENT_DESK* by default. */
  readonly desk?: DeskOptions;
  /** This machine's clock, milliseconds (tests set a wrong one). */
  readonly clock?: () => number;
  /** Where the client says what a person should know (a wrong clock); stderr by default. */
  readonly log?: (line: string) => void;
}

/** The verdict on one exchange, and whether it was sealed for our request (only then is its time believed). */
interface Exchanged {
  readonly answer: Answer;
  readonly sealed: boolean;
}

/** Seconds of disagreement that a retry could not fix anyway: the clocks already agree. */
const SKEW_NOISE_SECONDS = 2;

/** A transport or verification failure in the DLL's family of negative codes. */
function local(code: '-3' | '-7' | '-28', reason: string): Answer {
  return fail(code, reason);
}

function unsealed(answer: Answer): Exchanged {
  return { answer, sealed: false };
}

export class PayClient {
  private readonly url: URL;
  private readonly suite: Suite;
  private readonly transport: TransportOptions;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  /**
   * The platform's clock minus ours, seconds, learned from a 010006 and kept
   * once a call sealed on it was answered: every later call is stamped on
   * the platform's time.
   */
  private offsetSeconds = 0;

  constructor(private readonly options: PayClientOptions) {
    this.url = new URL(options.serveraddr);
    this.suite = options.suite ?? 'SM';
    this.transport = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      answerTimeoutMs: options.answerTimeoutMs ?? CLIENT_ANSWER_TIMEOUT_MS,
      maxAnswerBytes: 1024 * 1024,
    };
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** The platform's clock minus this machine's, in seconds, as learned so far (0 until a 010006 taught it). */
  get clockOffsetSeconds(): number {
    return this.offsetSeconds;
  }

  /** The DLL's contract: JSON in, JSON out, never throws. */
  async payTrans(pindata: string): Promise<string> {
    try {
      return JSON.stringify(await this.send(pindata));
    } catch (error) {
      // Reaching here is a bug; the outcome is unknown, so say so rather than guess.
      return JSON.stringify(local('-3', `客户端内部错误: ${(error as Error).message}`));
    }
  }

  // One named method per transType of the spec, so an IDE lists what the platform offers. The param
  // is the wire's (a JSON object, as loose as a HIS may send it), checked by the platform's own validator
  // before anything leaves: ParamOf types what validation returns, not what a caller may send.
  accountInfo = (param: Param) => this.call('hop.account.info', param);
  recharge = (param: Param) => this.call('hop.trade.recharge', param);
  rechargeClose = (param: Param) => this.call('hop.trade.recharge.close', param);
  refund = (param: Param) => this.call('hop.trade.refund', param);
  recpay = (param: Param) => this.call('hop.trade.recpay', param);
  query = (param: Param) => this.call('hop.trade.query', param);
  payCancel = (param: Param) => this.call('hop.trade.pay.cancel', param);
  faceQuery = (param: Param) => this.call('hop.face.query', param);
  esccardAuthQr = (param: Param) => this.call('hop.esccard.auth.qr', param);
  mmpayMsgPush = (param: Param) => this.call('hop.mmpay.msg.push', param);
  mmpayPushDrug = (param: Param) => this.call('hop.mmpay.push.drug', param);
  inpatientOverpay = (param: Param) => this.call('hop.inpatient.msg.overpay', param);
  inpatientBill = (param: Param) => this.call('hop.inpatient.msg.bill', param);
  inpatientOutDepart = (param: Param) => this.call('hop.inpatient.msg.outDepart', param);
  inpatientOutHosp = (param: Param) => this.call('hop.inpatient.msg.outHosp', param);
  inpatientCommon = (param: Param) => this.call('hop.inpatient.msg.common', param);
  wristbandQueryAccount = (param: Param) => this.call('portal.wb.queryAccount', param);
  wristbandGetCode = (param: Param) => this.call('portal.wb.getWristbandCode', param);
  wristbandCancel = (param: Param) => this.call('portal.wb.cancelQrCode', param);

  /** Validates locally (bad input never reaches the network), then seals, sends and verifies. */
  async call(transType: TransTypeName, param: Record<string, unknown>): Promise<Answer> {
    return this.send(JSON.stringify({ transType, param }));
  }

  /**
   * One call; when the platform answers "finish at the cashier desk" (040038 +
   * deskUrl), the desk is shown and the call waits for it, like the DLL.
   */
  private async send(pindata: string): Promise<Answer> {
    const first = await this.sendOnce(pindata);
    const deskUrl = deskUrlOf(first);
    if (!deskUrl) return first;
    const env = deskOptionsFromEnv();
    const timeoutMs = this.options.desk?.timeoutMs ?? env.timeoutMs;
    showDesk(deskUrl, this.options.desk?.mode ?? env.mode, this.options.desk?.show);
    const answer = await waitAtDesk(first, () => this.sendOnce(pindata), { timeoutMs });
    return answer.respCode === '040038' ? this.closeAbandoned(pindata, answer) : answer;
  }

  /**
   * The desk wait is over and the recharge is still open. The client closes it,
   * what the spec's recharge.close is for (用户仍未支付, 调用方将订单关闭), so the
   * HIS is told the order's fate — closed (035001), or paid in the meantime —
   * rather than "query later", and the desk and screen stop offering it. When
   * the close cannot settle it (the channel's answer unknown, the platform not
   * reached), the answer stays 040038: query later.
   */
  private async closeAbandoned(pindata: string, pending: Answer): Promise<Answer> {
    const checked = validatePindata(pindata);
    if (!checked.ok || checked.transType !== 'hop.trade.recharge') return pending;
    const p = checked.param;
    const close = await this.sendOnce(
      JSON.stringify({
        transType: 'hop.trade.recharge.close',
        param: {
          operatorId: p['operatorId'],
          termNo: p['termNo'],
          operatorName: p['operatorName'],
          cardType: p['cardType'],
          cardNo: p['cardNo'],
          accountType: p['accountType'],
          outChargeNo: p['outChargeNo'],
          closeReason: '收银台等待超时, 调用方未等到结果',
        },
      }),
    );
    // Closed now, closed before, or paid before the close: the order is final; its own answer says which.
    if (!['000000', '033001', '035001'].includes(close.respCode)) return pending;
    const final = await this.sendOnce(pindata);
    return final.respCode === '040038' || final.respCode.startsWith('-') ? pending : final;
  }

  private async sendOnce(pindata: string): Promise<Answer> {
    const checked = validatePindata(pindata);
    if (!checked.ok) return checked.answer;
    // Fields the table does not list travel on: the platform ignores them unless the app is strict.
    const plaintext = JSON.stringify({
      transType: checked.transType,
      param: { ...checked.ignored, ...checked.param },
    });
    // Fields the tables do not list can make a valid request longer than the envelope carries:
    // refused here, unsent, as the DLL does, rather than failing to seal.
    if (plaintext.length > MAX_REQUEST_PLAINTEXT_CHARS) {
      return fail('020002', `pindata 超过 ${MAX_REQUEST_PLAINTEXT_CHARS} 字符, 未发送`);
    }
    const first = await this.exchange(plaintext, this.offsetSeconds);
    const offset = this.offsetTaughtBy(first);
    if (offset === undefined) return first.answer;
    // The platform refused our time stamp before doing anything (010006) and said its own time:
    // once more on its time. Every seal draws a fresh nonce, so the replay guard is intact.
    const second = await this.exchange(plaintext, offset);
    // A plain 010006 is unauthenticated: its time is kept only once a call sealed on it was
    // answered with a sealed answer, so a forged one cannot set this client's clock.
    if (second.sealed) {
      this.log(
        `payclient: 本机时钟比支付平台${offset < 0 ? '快' : '慢'} ${Math.abs(offset)} 秒; 已按平台时间重发, 此后的调用也按平台时间; 请校准本机时间`,
      );
      this.offsetSeconds = offset;
    }
    return second.answer;
  }

  /** The offset a plain 010006 carrying the platform's time teaches, when it differs from ours. */
  private offsetTaughtBy(exchanged: Exchanged): number | undefined {
    if (exchanged.sealed) return undefined;
    const platformNow = peerTimeOf(exchanged.answer);
    if (platformNow === undefined) return undefined;
    const offset = Math.round(platformNow - this.clock() / 1000);
    return Math.abs(offset - this.offsetSeconds) > SKEW_NOISE_SECONDS ? offset : undefined;
  }

  /** Seals the plaintext stamped at our clock plus `offsetSeconds`, sends it, reads the answer. */
  private async exchange(plaintext: string, offsetSeconds: number): Promise<Exchanged> {
    // One retry, only when a kept-alive socket turned out dead before any answer: the server
    // closed it while idle. A fresh nonce is needed, and the platform's idempotency on the
    // merchant's order number makes a second delivery harmless anyway.
    for (let attempt = 0; ; attempt++) {
      const now = this.clock() / 1000 + offsetSeconds;
      const keys = keysFromSecret(this.options.appsecret, this.suite);
      const env = sealRequest({ appid: this.options.appid, suite: this.suite, keys, plaintext, now });
      const result = await post(this.url, JSON.stringify(env), this.transport);
      if (result.kind === 'not-sent') return unsealed(local('-7', result.reason));
      if (result.kind === 'timeout') return unsealed(local('-28', result.reason));
      if (result.kind === 'broken') {
        if (result.reusedSocket && attempt === 0) continue;
        return unsealed(local('-3', result.reason));
      }
      const stranger = notThePlatform(result.status);
      if (stranger) return unsealed(local('-7', `${this.url.href} ${stranger}`));
      return this.verify(result.body, env.nonce, keys, now);
    }
  }

  /** Only a sealed answer to this very request is believed; a plain one only when it says "not done". */
  private verify(
    body: string,
    reqNonce: string,
    keys: ReturnType<typeof keysFromSecret>,
    now: number,
  ): Exchanged {
    const read = readAnswer(body, keys, { appid: this.options.appid, reqNonce, now });
    if (read.kind === 'unsealed') return unsealed(read.answer);
    if (read.kind === 'invalid') return unsealed(local('-3', `支付平台应答无法验证: ${read.reason}`));
    try {
      const answer = JSON.parse(read.plaintext) as Answer;
      if (typeof answer.respCode !== 'string') return unsealed(local('-3', '应答缺少 respCode'));
      return { answer, sealed: true };
    } catch {
      return unsealed(local('-3', '应答明文不是 JSON'));
    }
  }
}
