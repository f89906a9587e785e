import fc from 'fast-check';
import type { Answer } from '../../src/protocol/codes.js';

/**
 * The reference model: what the platform must answer to cash recharges,
 * closes, cash refunds, queries and retries, from balances and orders alone.
 */
export type Op =
  | { t: 'recharge'; p: number; k: number; fen: number; via: number }
  | { t: 'close'; p: number; k: number; via: number }
  | { t: 'refund'; p: number; k: number; r: number; fen: number; via: number }
  | { t: 'query'; k: number; refund: boolean; via: number }
  | { t: 'again'; back: number; via: number }
  /** The same recharge sent through every platform process at once. */
  | { t: 'burst'; p: number; k: number; fen: number };

const PATIENTS = 3;
const NUMBERS = 6;

export function opArb(processes: number): fc.Arbitrary<Op> {
  const via = fc.nat({ max: processes - 1 });
  const p = fc.nat({ max: PATIENTS - 1 });
  const k = fc.nat({ max: NUMBERS - 1 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('recharge' as const),
        p,
        k,
        fen: fc.integer({ min: 1, max: 500 }),
        via,
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const), p, k, via }) },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('refund' as const),
        p,
        k,
        r: k,
        fen: fc.integer({ min: 1, max: 300 }),
        via,
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('query' as const), k, refund: fc.boolean(), via }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('again' as const), back: fc.nat({ max: 20 }), via }) },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('burst' as const), p, k, fen: fc.integer({ min: 1, max: 500 }) }),
    },
  );
}

export interface Sent {
  readonly transType: 'recharge' | 'close' | 'refund' | 'query';
  readonly param: Record<string, unknown>;
}

const OP = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const OPENING = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };

export function card(run: string, p: number) {
  return { ...OP, cardType: '03', cardNo: `M${run}P${p}`, accountType: '01' };
}

export function request(run: string, op: Exclude<Op, { t: 'again' }>): Sent {
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  if (op.t === 'recharge' || op.t === 'burst') {
    return {
      transType: 'recharge',
      param: {
        ...card(run, op.p),
        hisCustId: `H${run}P${op.p}`,
        userName: '李四',
        idNo: '',
        amount: yuan(op.fen),
        outChargeNo: `${run}C${op.k}`,
        depositType: 'CASH',
        extra: OPENING,
      },
    };
  }
  if (op.t === 'close') {
    return {
      transType: 'close',
      param: { ...card(run, op.p), outChargeNo: `${run}C${op.k}`, closeReason: '测试' },
    };
  }
  if (op.t === 'query') {
    return {
      transType: 'query',
      param: {
        ...card(run, 0),
        tradeType: op.refund ? 'hop.trade.refund' : 'hop.trade.recharge',
        outTradeNo: `${run}${op.refund ? 'R' : 'C'}${op.k}`,
      },
    };
  }
  return {
    transType: 'refund',
    param: {
      ...card(run, op.p),
      hisCustId: `H${run}P${op.p}`,
      amount: yuan(op.fen),
      withdrawMode: '0',
      refundType: 'hisDecide',
      traceNo: '',
      outChargeNo: `${run}C${op.k}`,
      outRefundNo: `${run}R${op.r}`,
      tradeChannel: 'CASH',
      refundDeskMode: '1',
      extra: { deskflak: '1' },
    },
  };
}

interface Order {
  readonly key: string;
  readonly p: number;
  readonly fen: number;
  readonly answer: Answer;
  refundedFen: number;
}

/** Balances and orders of one run, and the answer each request must get. */
export class Model {
  readonly balances = new Map<number, number>();
  private readonly recharges = new Map<number, Order>();
  private readonly refunds = new Map<number, Order>();

  /** Checks `answer` against the model and applies it; returns a mismatch, or null. */
  check(op: Exclude<Op, { t: 'again' | 'burst' }>, sent: Sent, answer: Answer): string | null {
    const key = JSON.stringify(sent.param);
    const code = answer.respCode;
    const want = (expected: string) =>
      code === expected ? null : `${op.t} expected ${expected}, got ${code} ${answer.respMsg}`;
    if (op.t === 'recharge') {
      const known = this.recharges.get(op.k);
      if (known) {
        if (known.key === key)
          return JSON.stringify(answer) === JSON.stringify(known.answer) ? null : 'recharge replay differs';
        // A reused number with other parameters is 流水号重复, paid or not (033001 would read as "paid").
        return want('030001');
      }
      if (code !== '000000') return want('000000');
      this.recharges.set(op.k, { key, p: op.p, fen: op.fen, answer, refundedFen: 0 });
      const balance = (this.balances.get(op.p) ?? 0) + op.fen;
      this.balances.set(op.p, balance);
      const told = (answer['param'] as Record<string, unknown>)['balance'];
      return told === (balance / 100).toFixed(2)
        ? null
        : `recharge told balance ${String(told)}, model ${balance}`;
    }
    if (op.t === 'close') {
      const known = this.recharges.get(op.k);
      return want(!known || known.p !== op.p ? '030002' : '033001');
    }
    if (op.t === 'query') {
      const exists = op.refund ? this.refunds.has(op.k) : this.recharges.has(op.k);
      const result = code === '000000' ? (answer['param'] as Record<string, unknown>)['result'] : code;
      return result === (exists ? 'succ' : 'notfound')
        ? null
        : `query ${op.refund ? 'refund' : 'recharge'} ${op.k}: ${String(result)}`;
    }
    const known = this.refunds.get(op.r);
    if (known) {
      if (known.key === key)
        return JSON.stringify(answer) === JSON.stringify(known.answer) ? null : 'refund replay differs';
      return want('030001');
    }
    const orig = this.recharges.get(op.k);
    if (!orig) return want('040008');
    if (orig.p !== op.p) return want('034007');
    if (op.fen > orig.fen - orig.refundedFen) return want('034001');
    if (code !== '000000') return want('000000');
    orig.refundedFen += op.fen;
    this.balances.set(op.p, (this.balances.get(op.p) ?? 0) - op.fen);
    this.refunds.set(op.r, { key, p: op.p, fen: op.fen, answer, refundedFen: 0 });
    return null;
  }
}
