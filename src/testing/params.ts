/** An operator at a desk, as the spec's examples have it. */
export const OPERATOR = { operatorId: '001', termNo: 'T01', operatorName: '张三' } as const;

/** The operator and the patient's card: card type 03, account type 01, HIS patient id `H` + card number. */
function atDesk(cardNo: string) {
  return { ...OPERATOR, cardType: '03', cardNo, accountType: '01', hisCustId: `H${cardNo}` };
}

/**
 * The param of a cash recharge that completes at once (deskflak 1), opening
 * the patient's account on first use: card type 03, account type 01, HIS
 * patient id `H` + card number.
 */
export function cashRecharge(cardNo: string, outChargeNo: string, amount: string): Record<string, unknown> {
  return {
    ...atDesk(cardNo),
    userName: '李四',
    idNo: '',
    amount,
    outChargeNo,
    depositType: 'CASH',
    extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' },
  };
}

/**
 * The param of a refund paid out in cash at once (withdrawMode 0, deskflak 1)
 * from the recharge `outChargeNo` of the patient `cashRecharge` opened.
 */
export function cashRefund(
  cardNo: string,
  outChargeNo: string,
  outRefundNo: string,
  amount: string,
): Record<string, unknown> {
  return {
    ...atDesk(cardNo),
    amount,
    withdrawMode: '0',
    refundType: 'hisDecide',
    traceNo: '',
    outChargeNo,
    outRefundNo,
    tradeChannel: 'CASH',
    refundDeskMode: '1',
    extra: { deskflak: '1' },
  };
}
