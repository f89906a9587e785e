/**
 * ParamOf and FenOf are computed from the tables: `npm run check` compiles
 * this file, and each `@ts-expect-error` fails the build if the type it
 * guards stopped being an error (a field typed `any`, a name lost to `string`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FenOf, ParamOf } from './index.js';

type Recharge = ParamOf<'hop.trade.recharge'>;
type Recpay = ParamOf<'hop.trade.recpay'>;

function reads(r: Recharge, fen: FenOf<'hop.trade.recharge'>, p: Recpay, pFen: FenOf<'hop.trade.recpay'>) {
  const required: string = r.outChargeNo;
  const optional: string | undefined = r.depositType;
  const nested: string | undefined = r.extra.authCode;
  const hospitalOwn: unknown = r.extra['anyKeyOfTheHospital'];
  const amountFen: number = fen.amount;
  const zeroAllowed: number = pFen.rechargeAmount;
  const item: string | undefined = p.extra.examList[0]?.itemSeq;
  return [required, optional, nested, hospitalOwn, amountFen, zeroAllowed, item];
}

function misreads(r: Recharge, fen: FenOf<'hop.trade.recharge'>, p: Recpay) {
  // @ts-expect-error a field the table does not list
  const unknown = r.posNo;
  // @ts-expect-error an optional field may be absent
  const optional: string = r.depositType;
  // @ts-expect-error a required text field is text
  const required: number = r.outChargeNo;
  // @ts-expect-error fen are numbers
  const amount: string = fen.amount;
  // @ts-expect-error a list is no text
  const list: string = p.extra.examList;
  // @ts-expect-error only amount fields have fen
  const notAmount = fen.cardNo;
  return [unknown, optional, required, amount, list, notAmount];
}

test('the typed reads are plain reads of the validated objects', () => {
  const extra = { authCode: '28', anyKeyOfTheHospital: 1 };
  const param = { outChargeNo: 'C1', extra } as unknown as Recharge;
  const recpay = { extra: { examList: [{ itemSeq: '1' }] } } as unknown as Recpay;
  const fen = { amount: 100 } as FenOf<'hop.trade.recharge'>;
  const pFen = { rechargeAmount: 0, consumeAmount: 100 } as FenOf<'hop.trade.recpay'>;
  assert.deepEqual(reads(param, fen, recpay, pFen), ['C1', undefined, '28', 1, 100, 0, '1']);
  assert.equal(misreads(param, fen, recpay).length, 6);
});
