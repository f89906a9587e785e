/** The trace number in RECHARGE_ANSWER: what the seeding puts its own numbers in place of. */
export const SAMPLE_TRACE_NO = '20240101120000a1b2c3d4e5f6';

/** A cash recharge's answer, as the platform seals it: the answer size of the ceilings, the envelope floor's reply. */
export const RECHARGE_ANSWER = JSON.stringify({
  respCode: '000000',
  respMsg: '处理成功',
  param: {
    chargeNo: '20240101120000a1b2c3d4e5f6',
    balance: '100.00',
    tradeMode: 'CASH',
    traceTime: '20240101120000',
    traceNo: '20240101120000a1b2c3d4e5f6',
    qrcode: '0',
    callsn: '',
    tradeState: '0',
    extra: {
      paytype: 'CASH',
      callsn: '',
      resNote: '充值成功',
      BankCardNo: '',
      posIssuingBank: '',
      BankCardType: '',
    },
  },
  extra: {
    paytype: 'CASH',
    callsn: '',
    resNote: '充值成功',
    BankCardNo: '',
    posIssuingBank: '',
    BankCardType: '',
  },
});
