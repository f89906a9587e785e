/** Valid params of the seven push transTypes, shared by the notification tests. */
const person = {
  cardType: '03',
  cardNo: 'D12345678',
  contactNumber: '13011111111',
  userName: '蔡少辉',
  idNo: '350288888888888888',
};
const inpatient = {
  ...person,
  inpatientNo: '123',
  accountType: '02',
  wardName: '急诊内科',
  inpatientDate: '1995-04-28',
};
const amounts = { bcbxf0: '11.00', grzfe0: '11.00', bcfyze: '22.00', balance: '11.00' };
const recipe = {
  userNo: 'U001',
  applyDepaName: '内科',
  applyDoctorName: '王医生',
  recipeTime: '20190718121742',
};

export const PUSHES = {
  'hop.inpatient.msg.overpay': { ...inpatient, ...amounts, complementMoney: '0.98', wardCode: 'W01' },
  'hop.inpatient.msg.bill': {
    ...inpatient,
    ...amounts,
    patientType: '01',
    beginDate: '2019-07-18',
    endDate: '2019-07-18',
  },
  'hop.inpatient.msg.outDepart': {
    ...inpatient,
    patientType: '00',
    extra: { balance: '11.18', bcfyze: '12.16', complementMoney: '0.98' },
  },
  'hop.inpatient.msg.outHosp': { ...inpatient, ...amounts },
  'hop.inpatient.msg.common': {
    ...person,
    inpatientNo: '123',
    keyword: '明日上午复查',
    first: '复查提醒',
    remark: '请空腹',
  },
  'hop.mmpay.msg.push': {
    ...person,
    accountType: '01',
    feeType: '00',
    ...recipe,
    fee: '35.50',
    recipeNum: '2',
  },
  'hop.mmpay.push.drug': {
    cardNo: person.cardNo,
    contactNumber: person.contactNumber,
    userName: person.userName,
    idNo: person.idNo,
    ...recipe,
    voucherNo: 'V001',
    hisReceiptNo: 'R001',
    fee: '35.50',
    drugState: 'init',
    first: '您的药品已经配发好,请及时到窗口排队领药品',
    remark: '该处方已取药或已做检查',
    drugWindowNo: '9 号',
  },
} as const satisfies Record<string, Record<string, unknown>>;

export type PushName = keyof typeof PUSHES;
export const PUSH_NAMES = Object.keys(PUSHES) as PushName[];
