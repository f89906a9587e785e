/** An operator at a desk, as the spec's examples have it. */
export const OPERATOR = { operatorId: '001', termNo: 'T01', operatorName: '张三' } as const;

/**
 * The param of a cash recharge that completes at once (deskflak 1), opening
 * the patient's account on first use: card type 03, account type 01, HIS
 * patient id `H` + card number.
 */
export function cashRecharge(cardNo: string, outChargeNo: string, amount: string): Record<string, unknown> {
  return {
    ...OPERATOR,
    cardType: '03',
    cardNo,
    accountType: '01',
    hisCustId: `H${cardNo}`,
    userName: '李四',
    idNo: '',
    amount,
    outChargeNo,
    depositType: 'CASH',
    extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' },
  };
}
