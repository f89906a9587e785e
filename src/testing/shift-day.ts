import type { TestPlatform } from './platform.js';

/** Two cashiers at two windows, each sending its operatorId and termNo as the spec's examples do. */
export const CASHIER_A = { operatorId: '001', termNo: 'T01', operatorName: '张三' } as const;
export const CASHIER_B = { operatorId: '002', termNo: 'T02', operatorName: '李四' } as const;

const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };

function patient(op: typeof CASHIER_A | typeof CASHIER_B, n: number, accountType = '01') {
  return {
    ...op,
    cardType: '03',
    cardNo: `SD${n}`,
    accountType,
    hisCustId: `HSD${n}`,
    userName: '王五',
    idNo: '',
  };
}

function ok(answer: Record<string, unknown>, what: string): Record<string, unknown> {
  if (answer['respCode'] !== '000000')
    throw new Error(`${what}: ${String(answer['respCode'])} ${String(answer['respMsg'])}`);
  return answer['param'] as Record<string, unknown>;
}

/**
 * A day at two windows through the platform's own trades: cash, QR (paid by
 * the sandbox wallet) and POS recharges with feeTypes, an inpatient deposit,
 * a cash refund and a QR refund by the original route, an exam bill paid in
 * cash and partly reversed. `prefix` keeps merchant numbers apart when a
 * test seeds twice. Returns what cashier A's drawer should hold, in fen.
 */
export async function seedShiftDay(t: TestPlatform, prefix = 'D'): Promise<{ cashierACashFen: number }> {
  const c = t.client;
  const n = (i: number) => Number(`${prefix.charCodeAt(0)}${i}`);
  ok(
    await c.recharge({
      ...patient(CASHIER_A, n(1)),
      amount: '100.00',
      outChargeNo: `${prefix}-C1`,
      depositType: 'CASH',
      feeType: '挂号费',
      extra: opening,
    }),
    'cash recharge',
  );
  ok(
    await c.recharge({
      ...patient(CASHIER_A, n(2), '02'),
      amount: '500.00',
      outChargeNo: `${prefix}-C2`,
      depositType: 'CASH',
      feeType: '住院押金',
      extra: opening,
    }),
    'cash deposit',
  );
  const qr = ok(
    await c.recharge({
      ...patient(CASHIER_A, n(3)),
      amount: '80.00',
      outChargeNo: `${prefix}-Q1`,
      depositType: 'ALI_QR',
      feeType: '西药费',
      extra: opening,
    }),
    'QR recharge',
  );
  const paid = await fetch(`${String(qr['qrcode'])}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ wallet: 'alipay' }),
  });
  if (paid.status !== 200) throw new Error(`wallet: ${paid.status} ${await paid.text()}`);
  const query = ok(
    await c.query({
      ...patient(CASHIER_A, n(3)),
      tradeType: 'hop.trade.recharge',
      outTradeNo: `${prefix}-Q1`,
    }),
    'QR query',
  );
  if (query['result'] !== 'succ') throw new Error(`QR recharge not paid: ${String(query['result'])}`);
  ok(
    await c.recharge({
      ...patient(CASHIER_B, n(4)),
      amount: '60.00',
      outChargeNo: `${prefix}-P1`,
      depositType: 'POS',
      feeType: '检查费',
      extra: opening,
    }),
    'POS recharge',
  );
  ok(
    await c.recharge({
      ...patient(CASHIER_B, n(5)),
      amount: '20.00',
      outChargeNo: `${prefix}-C3`,
      depositType: 'CASH',
      feeType: '挂号费',
      extra: opening,
    }),
    'cash recharge B',
  );
  const refund = {
    withdrawMode: '0',
    refundType: 'hisDecide',
    traceNo: '',
    refundDeskMode: '1',
    extra: { deskflak: '1' },
  };
  ok(
    await c.refund({
      ...patient(CASHIER_A, n(1)),
      ...refund,
      amount: '30.00',
      outChargeNo: `${prefix}-C1`,
      outRefundNo: `${prefix}-R1`,
      tradeChannel: 'CASH',
    }),
    'cash refund',
  );
  ok(
    await c.refund({
      ...patient(CASHIER_A, n(3)),
      ...refund,
      withdrawMode: '1',
      amount: '25.00',
      outChargeNo: `${prefix}-Q1`,
      outRefundNo: `${prefix}-R2`,
      tradeChannel: 'ALI_QR',
    }),
    'QR refund',
  );
  const examItem = (seq: number, price: string) => ({
    wardDept: '体检中心',
    doctorCode: 'D01',
    phyExamNo: 'PE001',
    purchaseCode: `P${seq}`,
    itemNum: '1',
    itemPrice: price,
    totPrice: price,
    itemSeq: String(seq),
    itemName: `项目${seq}`,
  });
  ok(
    await c.recpay({
      ...CASHIER_A,
      cardType: '03',
      cardNo: `SD${n(6)}`,
      accountType: '01',
      depositType: 'CASH',
      rechargeAmount: '40.00',
      consumeAmount: '40.00',
      outTradeNo: `${prefix}-E1`,
      hisCustId: `HSD${n(6)}`,
      extra: { examList: [examItem(1, '25.00'), examItem(2, '15.00')], patientType: '00', deskflak: '1' },
    }),
    'exam bill',
  );
  ok(
    await c.payCancel({
      operatorId: CASHIER_A.operatorId,
      operatorName: CASHIER_A.operatorName,
      accountType: '01',
      withdrawMode: '1',
      outTradeNo: `${prefix}-E1`,
      hisCustId: `HSD${n(6)}`,
      outCancelNo: `${prefix}-X1`,
      amount: '15.00',
      extra: { phyExamNo: 'PE001', purchaseNo: 'PN1' },
    }),
    'exam bill reversal',
  );
  // Cash in: 100 + 500 + 40 (exam bill); cash out: 30 (refund) + 15 (reversal).
  return { cashierACashFen: (100 + 500 + 40 - 30 - 15) * 100 };
}
