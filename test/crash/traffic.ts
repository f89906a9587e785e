import type { PayClient } from '../../src/client/index.js';
import type { Answer } from '../../src/protocol/codes.js';
import { OPERATOR } from '../../src/testing/params.js';

export type Kind = 'recharge' | 'refund';

/** One request a client sent, and what it heard back (nothing when the call itself threw). */
export interface Attempt {
  readonly kind: Kind;
  readonly outNo: string;
  readonly param: Record<string, unknown>;
  answer?: Answer;
}

/** Seeded, so a failing run can be replayed with the seed it printed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const OPENING = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
/** A sandbox Alipay payment code whose last digit 0 pays at once. */
const INSTANT_ALIPAY = '2856789012345670';
/** While the platform is down, a client waits this long before its next try. */
const DOWN_PAUSE_MS = 20;

export function card(c: number) {
  return { ...OPERATOR, cardType: '03', cardNo: `K${c}`, accountType: '01' };
}

export function rechargeParam(
  c: number,
  outNo: string,
  fen: number,
  barcode: boolean,
): Record<string, unknown> {
  return {
    ...card(c),
    hisCustId: `H${c}`,
    userName: '李四',
    idNo: '',
    amount: (fen / 100).toFixed(2),
    outChargeNo: outNo,
    depositType: barcode ? 'ALI_BAR' : 'CASH',
    extra: barcode ? { ...OPENING, authCode: INSTANT_ALIPAY } : OPENING,
  };
}

export function refundParam(
  c: number,
  outChargeNo: string,
  outNo: string,
  fen: number,
  channel: string,
): Record<string, unknown> {
  return {
    ...card(c),
    hisCustId: `H${c}`,
    amount: (fen / 100).toFixed(2),
    // Cash goes back from the drawer; a wallet payment by the original route (a channel call that can be left pending).
    withdrawMode: channel === 'CASH' ? '0' : '1',
    refundType: 'hisDecide',
    traceNo: '',
    outChargeNo,
    outRefundNo: outNo,
    tradeChannel: channel,
    refundDeskMode: '1',
    extra: { deskflak: '1' },
  };
}

export async function send(client: PayClient, a: Attempt): Promise<Answer> {
  return a.kind === 'recharge' ? client.recharge(a.param) : client.refund(a.param);
}

/**
 * One desk: recharges (cash, or a wallet barcode), refunds of its own paid
 * recharges, and retries of its own earlier requests, until `stop()`.
 * Retries of a request answered 000000 must answer the same; a mismatch is
 * recorded in `problems` at once.
 */
export async function desk(
  c: number,
  client: () => PayClient,
  random: () => number,
  attempts: Attempt[],
  problems: string[],
  stop: () => boolean,
  maxOps: number,
): Promise<void> {
  const mine: Attempt[] = [];
  for (let i = 0; i < maxOps && !stop(); i++) {
    const roll = random();
    const paid = mine.filter((a) => a.kind === 'recharge' && a.answer?.respCode === '000000');
    let attempt: Attempt;
    if (roll < 0.1 && mine.length > 0) {
      const earlier = mine[Math.floor(random() * mine.length)] as Attempt;
      const again = await send(client(), earlier);
      if (earlier.answer?.respCode === '000000' && again.respCode === '000000') {
        if (JSON.stringify(again) !== JSON.stringify(earlier.answer)) {
          problems.push(`retry of ${earlier.outNo} answered differently`);
        }
      }
      if (earlier.answer?.respCode !== '000000') earlier.answer = again;
      continue;
    }
    if (roll < 0.4 && paid.length > 0) {
      const orig = paid[Math.floor(random() * paid.length)] as Attempt;
      const channel = orig.param['depositType'] as string;
      const outNo = `R${c}-${i}`;
      const fen = 1 + Math.floor(random() * 50);
      attempt = { kind: 'refund', outNo, param: refundParam(c, orig.outNo, outNo, fen, channel) };
    } else {
      const barcode = roll > 0.85;
      const outNo = `${barcode ? 'B' : 'C'}${c}-${i}`;
      const fen = 100 + Math.floor(random() * 900);
      attempt = { kind: 'recharge', outNo, param: rechargeParam(c, outNo, fen, barcode) };
    }
    attempts.push(attempt);
    mine.push(attempt);
    // -7 means the request never left: the same request is sent again (bounded by stop()) rather than a new one.
    do {
      try {
        attempt.answer = await send(client(), attempt);
      } catch {
        delete attempt.answer; // payTrans never throws; a typed method may on a bug: unknown, verify() retries
      }
      if (attempt.answer?.respCode.startsWith('-')) await new Promise((r) => setTimeout(r, DOWN_PAUSE_MS));
    } while (attempt.answer?.respCode === '-7' && !stop());
  }
}
