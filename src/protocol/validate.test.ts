import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TransTypeName } from './catalog/index.js';
import type { RespCode } from './codes.js';
import { charLength, fieldOf, PRECEDENCE, validatePindata } from './validate.js';

type P = Record<string, unknown>;

const RECHARGE: P = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '01',
  cardNo: 'D12345678',
  accountType: '01',
  hisCustId: 'H0001',
  idNo: '350288888888888888',
  userName: '张三',
  amount: '100.00',
  outChargeNo: '20161125000000001',
  notes: '门诊支付',
  extra: '',
};

const REFUND: P = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '01',
  cardNo: 'D1',
  accountType: '01',
  amount: '10.00',
  withdrawMode: '1',
  refundType: 'prepareAndConfirm',
  traceNo: 'TR1',
  outChargeNo: 'C1',
  outRefundNo: 'R1',
  hisCustId: 'H1',
  tradeChannel: 'WX_QR',
  refundDeskMode: '1',
};

const item = (seq: number, totPrice: string, itemNum = '1'): P => ({
  wardDept: '体检科',
  doctorCode: 'D01',
  phyExamNo: 'PE1',
  purchaseCode: 'P1',
  itemNum,
  itemPrice: totPrice,
  totPrice,
  itemSeq: String(seq),
  itemName: '血常规',
});

const RECPAY: P = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '03',
  cardNo: 'D1',
  accountType: '01',
  depositType: 'WX_QR',
  rechargeAmount: '30.00',
  consumeAmount: '50.50',
  outTradeNo: 'TR20190801',
  hisCustId: 'H1',
  extra: JSON.stringify({ examList: [item(1, '20.25', '2'), item(2, '10.00')], patientType: '00' }),
};

const QUERY: P = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '01',
  cardNo: 'D1',
  accountType: '01',
  tradeType: 'hop.trade.recharge',
  traceNo: 'TR1',
};

const BILL: P = {
  inpatientNo: 'Z123',
  cardType: '01',
  cardNo: 'S1',
  accountType: '02',
  contactNumber: '13011111111',
  patientType: '01',
  userName: '蔡少辉',
  idNo: '350288888888888888',
  wardName: '急诊内科',
  inpatientDate: '1995-04-28',
  beginDate: '2019-07-18',
  endDate: '2019-07-18',
  bcbxf0: '11.00',
  grzfe0: '11.00',
  bcfyze: '22.00',
  balance: '0',
};

const DRUG: P = {
  cardNo: 'D1',
  contactNumber: '13011111111',
  idNo: '350288888888888888',
  userName: '张三',
  userNo: 'U1',
  voucherNo: 'V1',
  hisReceiptNo: 'RC1',
  applyDepaName: '内科',
  applyDoctorName: '李四',
  recipeTime: '20190718121742',
  fee: '0.00',
  drugState: 'succ',
  first: '您的药品已经配发好,请及时到窗口排队领药品',
  remark: '该处方已取药或已做检查',
  drugWindowNo: '9 号',
};

function run(transType: string, param: unknown, strict = false) {
  return validatePindata(JSON.stringify({ transType, param }), { strict });
}

/** As an app set to strictParams sees it: fields the table does not list are refused. */
function expectStrictCode(transType: string, param: unknown, code: RespCode, ...mentions: string[]) {
  const r = run(transType, param, true);
  assert.equal(r.ok, false, `expected ${code}, got ok`);
  if (r.ok) return;
  assert.equal(r.answer.respCode, code, r.answer.respMsg);
  for (const m of mentions) assert.ok(r.answer.respMsg.includes(m), `"${r.answer.respMsg}" should name ${m}`);
}

function expectCode(transType: string, param: unknown, code: RespCode, ...mentions: string[]) {
  const r = run(transType, param);
  assert.equal(r.ok, false, `expected ${code}, got ok`);
  if (r.ok) return;
  assert.equal(r.answer.respCode, code, r.answer.respMsg);
  for (const m of mentions) assert.ok(r.answer.respMsg.includes(m), `"${r.answer.respMsg}" should name ${m}`);
}

/** The validated param, read by name: these tests walk many transTypes with one helper. */
function expectOk(transType: TransTypeName, param: P): Readonly<Record<string, unknown>> {
  const r = run(transType, param);
  assert.ok(r.ok, r.ok ? '' : `${r.answer.respCode} ${r.answer.respMsg}`);
  return r.ok ? r.param : {};
}

describe('envelope-level codes', () => {
  test('000003 empty request', () => {
    for (const input of ['', '   \n', null, undefined, 'null']) {
      const r = validatePindata(input);
      assert.ok(!r.ok && r.answer.respCode === '000003', String(input));
    }
  });
  test('000004 not JSON, or not a JSON object', () => {
    for (const input of ['{', 'abc', '[]', '[1]', '42', '"x"', 'true', 42, [], new Map(), new Date()]) {
      const r = validatePindata(input);
      assert.ok(!r.ok && r.answer.respCode === '000004', String(input));
    }
  });
  test('000004 oversize, too deep, __proto__, non-JSON values', () => {
    const big = JSON.stringify({
      transType: 'hop.trade.recharge',
      param: { ...RECHARGE, notes: 'x'.repeat(70_000) },
    });
    assert.equal((validatePindata(big) as { answer: { respCode: string } }).answer.respCode, '000004');
    let deep: unknown = {};
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const r = validatePindata({ transType: 'hop.trade.recharge', param: { ...RECHARGE, extra: deep } });
    assert.ok(!r.ok && r.answer.respCode === '000004');
    const proto = '{"transType":"hop.trade.recharge","param":{"extra":{"__proto__":{"x":1}}}}';
    assert.equal((validatePindata(proto) as { answer: { respCode: string } }).answer.respCode, '000004');
    const fn = validatePindata({ transType: 'hop.trade.recharge', param: { ...RECHARGE, notes: () => 1 } });
    assert.ok(!fn.ok && fn.answer.respCode === '000004');
    const cyclic: P = { transType: 'hop.trade.recharge', param: { ...RECHARGE } };
    (cyclic['param'] as P)['extra'] = cyclic;
    const c = validatePindata(cyclic);
    assert.ok(!c.ok && c.answer.respCode === '000004');
  });
  test('JSON text is checked where JSON.parse left it, with the answers of the parsed value', () => {
    // The text's own value is not copied (checkParsedJson); every bound must answer as on the copy.
    const withParam = (param: string) => `{"transType":"hop.trade.recharge","param":${param}}`;
    const base = JSON.stringify(RECHARGE).slice(0, -1);
    const inputs = [
      withParam(`${base},"extra":${'{"a":'.repeat(20)}1${'}'.repeat(20)}}`),
      withParam(`${base},"extra":{"list":[${Array.from({ length: 10_001 }, () => '0').join(',')}]}}`),
      withParam(`${base},"extra":{"n":1e400}}`),
      withParam(`${base},"extra":{"__proto__":1}}`),
      `{"__proto__":{},"transType":"hop.trade.recharge","param":${JSON.stringify(RECHARGE)}}`,
      withParam(`${base},"extra":"{\\"deep\\":${'['.repeat(20)}${']'.repeat(20)}}"}`),
      withParam(`${base},"extra":"{\\"n\\":-1e999}"}`),
      withParam(`${base},"extra":{"ok\\u0000":"x"}}`),
      withParam(`${base},"extra":{"list":["a","b\\u0001"]}}`),
      withParam(`${base},"extra":{"s":"\\ud800"}}`),
      withParam(`${base},"extra":{"\\udc00":"x"}}`),
      withParam(`${base},"extra":{"pair":"\\ud83d\\ude00","ctrl":"\\u007f"}}`),
      withParam(`${base},"extra":{"hopid":"h1","mobilePhone":"13011111111"}}`),
      withParam(JSON.stringify({ ...RECHARGE, extra: JSON.stringify({ hopid: 'h1' }) })),
    ];
    const codes = new Set<string>();
    for (const text of inputs) {
      const fromText = validatePindata(text);
      assert.deepEqual(fromText, validatePindata(JSON.parse(text)), text.slice(0, 120));
      codes.add(fromText.ok ? 'ok' : fromText.answer.respCode);
    }
    // The inputs reach the bounds they are meant for, not one early refusal.
    assert.deepEqual([...codes].sort(), ['000004', '020000', 'ok']);
    const controlAt = validatePindata(inputs[8] as string);
    assert.ok(!controlAt.ok && controlAt.answer.respMsg.includes('param.extra.list[1] 含控制字符'));
    const keyAt = validatePindata(inputs[7] as string);
    assert.ok(!keyAt.ok && keyAt.answer.respMsg.includes('param.extra 含非法字段名'));
    const lone = validatePindata(inputs[9] as string);
    assert.ok(!lone.ok && lone.answer.respMsg.includes('param.extra.s 含不成对的 Unicode 代理项'));
    const mixed = validatePindata(inputs[11] as string);
    assert.ok(!mixed.ok && mixed.answer.respMsg.includes('param.extra.ctrl 含控制字符'));
  });
  test('a throwing getter is an answer, not an exception', () => {
    const hostile = {
      transType: 'hop.trade.recharge',
      get param(): unknown {
        throw new Error('boom');
      },
    };
    const r = validatePindata(hostile);
    assert.ok(!r.ok && r.answer.respCode === '000004');
  });
  test('010001 transType empty, 010002 unknown', () => {
    for (const t of [undefined, null, '', '  ']) {
      const r = validatePindata({ transType: t, param: {} });
      assert.ok(!r.ok && r.answer.respCode === '010001');
    }
    expectCode('hop.trade.nope', {}, '010002', 'hop.trade.nope');
    // The spec's own example spells it with spaces: white space is no part of a name.
    const spaced = run('hop. trade. recharge', RECHARGE);
    assert.ok(spaced.ok && spaced.transType === 'hop.trade.recharge', JSON.stringify(spaced));
    expectCode('hop.trade.rech arge.x', RECHARGE, '010002');
    const r = validatePindata({ transType: 7, param: {} });
    assert.ok(!r.ok && r.answer.respCode === '010002');
  });
  test('param empty / not an object: the closest code per transType', () => {
    expectCode('hop.trade.recharge', undefined, '010008');
    expectCode('hop.trade.recharge', '', '010008');
    expectCode('hop.trade.recharge', [], '010007');
    expectCode('hop.trade.recharge', '{"a":1}', '010007');
    expectCode('hop.trade.refund', null, '010011');
    expectCode('hop.trade.refund', 5, '010010');
    expectCode('hop.trade.recharge.close', undefined, '010013');
    expectCode('hop.trade.recharge.close', true, '010012');
  });
});

describe('field codes', () => {
  test('a valid recharge passes, extra "" becomes {}', () => {
    const p = expectOk('hop.trade.recharge', RECHARGE);
    assert.deepEqual(p['extra'], {});
    const absent = { ...RECHARGE };
    delete absent['extra'];
    assert.deepEqual(expectOk('hop.trade.recharge', absent)['extra'], {});
  });
  test('extra as a JSON string is returned as an object; unknown keys pass through', () => {
    const p = expectOk('hop.trade.recharge', { ...RECHARGE, extra: '{"hopname":"某医院","hisField":"x"}' });
    assert.deepEqual(p['extra'], { hopname: '某医院', hisField: 'x' });
  });
  test('020001 required field empty, named', () => {
    for (const name of ['termNo', 'hisCustId', 'userName', 'operatorId']) {
      const p = { ...RECHARGE };
      delete p[name];
      expectCode('hop.trade.recharge', p, '020001', name);
      expectCode('hop.trade.recharge', { ...RECHARGE, [name]: '  ' }, '020001', name);
    }
    expectCode('hop.trade.recharge', { ...RECHARGE, termNo: undefined }, '020001', '参数不能为空: termNo');
  });
  test('020000 wrong type, named', () => {
    expectCode('hop.trade.recharge', { ...RECHARGE, cardNo: 100 }, '020000', 'cardNo');
    expectCode('hop.trade.recharge', { ...RECHARGE, cardNo: ['x'] }, '020000', 'cardNo');
    expectCode('hop.trade.recharge', { ...RECHARGE, notes: true }, '020000', 'notes');
    expectCode('hop.trade.recharge', { ...RECHARGE, idNo: null }, '020000', 'idNo');
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: 5 }, '020000', 'extra');
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: '[1]' }, '020000', 'extra');
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: '{x' }, '020000', 'extra');
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: { hopid: 1 } }, '020000', 'extra.hopid');
  });
  test('unknown top-level fields: ignored (and passed on) by default, 020000 all named when strict', () => {
    const lenient = run('hop.trade.recharge', { ...RECHARGE, foo: '1', posNo: '1' });
    assert.ok(lenient.ok);
    if (lenient.ok) {
      assert.ok(!('foo' in lenient.param), 'not part of the validated param');
      assert.deepEqual(lenient.ignored, { foo: '1', posNo: '1' });
    }
    expectStrictCode('hop.trade.recharge', { ...RECHARGE, foo: '1', posNo: '1' }, '020000', 'foo', 'posNo');
    expectStrictCode('hop.inpatient.msg.common', { extra: {} }, '020000', 'extra');
  });

  test('a JSON number amount is the yuan it writes; more decimals, exponents and negatives are 020003', () => {
    assert.equal(
      expectOk('hop.trade.recharge', { ...RECHARGE, amount: 100.5 as unknown as string })['amount'],
      '100.5',
    );
    assert.equal(
      expectOk('hop.trade.recharge', { ...RECHARGE, amount: 7 as unknown as string })['amount'],
      '7',
    );
    for (const bad of [100.555, 1e21, -5, 0, 0.1 + 0.2]) {
      expectCode('hop.trade.recharge', { ...RECHARGE, amount: bad }, '020003', 'amount');
    }
  });
  test('020002 too long, in characters', () => {
    expectCode('hop.trade.recharge', { ...RECHARGE, userName: '张'.repeat(65) }, '020002', 'userName', '64');
    expectOk('hop.trade.recharge', { ...RECHARGE, userName: '张'.repeat(64) });
    // An astral character (emoji, rare CJK) counts once.
    assert.equal(charLength('𠀀😀'), 2);
    // A lone surrogate is one character, as the string's iterator counts it.
    for (const text of ['\ud800', 'a\udc00b', '\ud800\ud800\udc00', '\udc00\ud800', '😀\ud83d'])
      assert.equal(charLength(text), [...text].length, JSON.stringify(text));
    expectOk('hop.trade.recharge', { ...RECHARGE, userName: '𠀀'.repeat(64) });
    expectCode('hop.trade.recharge', { ...RECHARGE, userName: '𠀀'.repeat(65) }, '020002', 'userName');
    expectCode(
      'hop.trade.recharge',
      { ...RECHARGE, extra: { hopid: 'x'.repeat(33) } },
      '020002',
      'extra.hopid',
      '32',
    );
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: { his: 'x'.repeat(9000) } }, '020002', 'extra');
  });
  test('020003 bad amounts; zero where the spec allows it', () => {
    for (const amount of ['0', '0.00', '-1', '1.001', '1e3', ' 1', '01.00', 'abc', '1,000']) {
      expectCode('hop.trade.recharge', { ...RECHARGE, amount }, '020003', 'amount');
    }
    for (const amount of ['1', '0.01', '100.5', '999999999.99'])
      expectOk('hop.trade.recharge', { ...RECHARGE, amount });
    expectOk('hop.trade.recpay', {
      ...RECPAY,
      rechargeAmount: '0',
      consumeAmount: '10.00',
      extra: { examList: [item(1, '10.00')] },
    });
    expectCode('hop.trade.refund', { ...REFUND, amount: '0.00' }, '020003', 'amount');
    expectOk('hop.inpatient.msg.bill', { ...BILL, bcbxf0: '0' });
    expectCode('hop.inpatient.msg.bill', { ...BILL, balance: '-1.00' }, '020003', 'balance');
  });
  test('amounts come back in fen as well, parsed once; the param keeps the text that was sent', () => {
    const recharge = run('hop.trade.recharge', { ...RECHARGE, amount: '100.5' });
    assert.ok(recharge.ok && recharge.transType === 'hop.trade.recharge');
    assert.equal(recharge.fen.amount, 10050);
    assert.equal(recharge.param.amount, '100.5');
    const recpay = run('hop.trade.recpay', {
      ...RECPAY,
      rechargeAmount: '0',
      consumeAmount: '20.00',
      extra: { examList: [item(1, '20.00')] },
    });
    assert.ok(recpay.ok && recpay.transType === 'hop.trade.recpay');
    assert.deepEqual(recpay.fen, { rechargeAmount: 0, consumeAmount: 2000 });
    const cancel = run('hop.trade.pay.cancel', {
      operatorId: '1',
      operatorName: 'n',
      accountType: '01',
      withdrawMode: '1',
      outTradeNo: 'T1',
      hisCustId: 'H1',
      outCancelNo: 'X1',
      extra: { phyExamNo: 'PE1', purchaseNo: 'P1' },
    });
    assert.ok(cancel.ok && cancel.transType === 'hop.trade.pay.cancel');
    assert.equal(cancel.fen.amount, undefined, 'an optional amount not sent has no fen');
  });
  test('020004 / 020012 / 020013 order numbers empty; 020005 too long', () => {
    expectCode('hop.trade.recharge', { ...RECHARGE, outChargeNo: '' }, '020004', 'outChargeNo');
    expectCode('hop.trade.recharge', { ...RECHARGE, outChargeNo: 'x'.repeat(33) }, '020005', 'outChargeNo');
    const close = {
      operatorId: '1',
      termNo: 'T',
      operatorName: 'n',
      cardType: '01',
      cardNo: 'c',
      accountType: '01',
      outChargeNo: '',
    };
    expectCode('hop.trade.recharge.close', close, '020012', 'outChargeNo');
    expectCode(
      'hop.trade.recharge.close',
      { ...close, outChargeNo: 'x'.repeat(33) },
      '020005',
      'outChargeNo',
    );
    expectOk('hop.trade.recharge.close', { ...close, outChargeNo: 'x'.repeat(32) });
    expectCode('hop.trade.refund', { ...REFUND, outRefundNo: '' }, '020013', 'outRefundNo');
    expectCode('hop.trade.refund', { ...REFUND, outRefundNo: 'x'.repeat(33) }, '020005', 'outRefundNo');
    expectCode('hop.trade.query', { ...QUERY, outTradeNo: 'x'.repeat(33) }, '020005', 'outTradeNo');
  });
  test('every field naming a merchant number takes the 32 characters a recharge took (issue 17 point 4)', () => {
    const n32 = '2'.repeat(32);
    expectOk('hop.trade.query', { ...QUERY, traceNo: '', outTradeNo: n32 });
    expectOk('hop.trade.refund', { ...REFUND, outChargeNo: n32, outRefundNo: n32 });
    expectOk('hop.trade.recpay', { ...RECPAY, outTradeNo: n32 });
    const cancel = {
      operatorId: '001',
      operatorName: '张三',
      accountType: '01',
      withdrawMode: '1',
      outTradeNo: n32,
      hisCustId: 'H1',
      outCancelNo: n32,
      extra: { phyExamNo: 'PE1', purchaseNo: 'P1' },
    };
    expectOk('hop.trade.pay.cancel', cancel);
    expectCode('hop.trade.pay.cancel', { ...cancel, outCancelNo: `${n32}3` }, '020005', 'outCancelNo');
    expectCode('hop.trade.recpay', { ...RECPAY, outTradeNo: `${n32}3` }, '020005', 'outTradeNo');
  });
  test('sex 0 and 9, the national certificate types, and a Char(1) idType "1" as 01 (issue 17 point 5)', () => {
    const opening = (userSex: string, idType: string) => ({
      ...RECHARGE,
      extra: { userSex, idType, cardZone: '350200', mobilePhone: '13011111111' },
    });
    for (const sex of ['0', '1', '2', '9']) expectOk('hop.trade.recharge', opening(sex, '01'));
    expectCode('hop.trade.recharge', opening('3', '01'), '020000', 'userSex');
    for (const id of ['01', '03', '06', '07', '08', '17', '99'])
      expectOk('hop.trade.recharge', opening('1', id));
    expectCode('hop.trade.recharge', opening('1', '18'), '020000', 'idType');
    const band = {
      cardType: '05',
      cardNo: 'ZY1',
      idNo: '350288888888888888',
      operatorId: '001',
      operatorName: '张三',
      accountType: '02',
      hospName: '医院',
      userName: '张三',
    };
    assert.equal(expectOk('portal.wb.getWristbandCode', { ...band, idType: '1' })['idType'], '01');
    assert.equal(expectOk('portal.wb.getWristbandCode', { ...band, idType: '01' })['idType'], '01');
    assert.equal(expectOk('portal.wb.getWristbandCode', { ...band, idType: '8' })['idType'], '08');
    expectCode('portal.wb.getWristbandCode', { ...band, idType: 'A' }, '020000', 'idType');
  });
  test('020006 channel empty where required; 020007 unknown channel', () => {
    expectCode('hop.trade.recpay', { ...RECPAY, depositType: '' }, '020006', 'depositType');
    expectCode('hop.trade.refund', { ...REFUND, tradeChannel: '' }, '020006', 'tradeChannel');
    expectOk('hop.trade.recharge', { ...RECHARGE, depositType: '' });
    expectCode('hop.trade.recharge', { ...RECHARGE, depositType: 'wx_qr' }, '020007', 'depositType', 'WX_QR');
    expectCode('hop.trade.refund', { ...REFUND, tradeChannel: 'PAYPAL' }, '020007', 'tradeChannel');
  });
  test('020008 / 020009 / 020010 extra fields the channel needs', () => {
    for (const ch of ['ALI_BAR', 'WX_BAR', 'UP_BAR', 'ONE_BAR']) {
      expectCode('hop.trade.recharge', { ...RECHARGE, depositType: ch }, '020010', 'authCode');
      expectOk('hop.trade.recharge', {
        ...RECHARGE,
        depositType: ch,
        extra: { authCode: '134567890123456789' },
      });
    }
    expectCode('hop.trade.recpay', { ...RECPAY, depositType: 'WX_BAR' }, '020010', 'authCode');
    expectCode('hop.trade.recharge', { ...RECHARGE, depositType: 'WX_PUB' }, '020009', 'openId');
    expectCode(
      'hop.trade.recharge',
      { ...RECHARGE, depositType: 'ALI_WAP', extra: '{}' },
      '020008',
      'returnUrl',
    );
    expectOk('hop.trade.recharge', {
      ...RECHARGE,
      depositType: 'ALI_WAP',
      extra: { returnUrl: 'https://h.example/r' },
    });
  });
  test('020014 posTrans not a string or too long', () => {
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: { posTrans: { a: 1 } } }, '020014', 'posTrans');
    expectCode(
      'hop.trade.recharge',
      { ...RECHARGE, extra: { posTrans: 'x'.repeat(1025) } },
      '020014',
      'posTrans',
    );
    expectOk('hop.trade.recharge', { ...RECHARGE, extra: { posTrans: '0000123' } });
  });
  test('020011 bad dates and times', () => {
    expectCode(
      'hop.trade.recharge',
      { ...RECHARGE, extra: { birthday: '19900230' } },
      '020011',
      'extra.birthday',
    );
    expectOk('hop.trade.recharge', { ...RECHARGE, extra: { birthday: '19900228' } });
    expectCode('hop.mmpay.push.drug', { ...DRUG, recipeTime: '20190718246000' }, '020011', 'recipeTime');
    expectCode('hop.inpatient.msg.bill', { ...BILL, inpatientDate: '1995/04/28' }, '020011', 'inpatientDate');
    expectCode(
      'hop.inpatient.msg.bill',
      { ...BILL, endDate: '2019-07-19' },
      '020011',
      'beginDate',
      'endDate',
    );
    const auth = {
      outAuthorizeNo: 'A1',
      outAuthorizeTime: '2019-07-18',
      operatorId: '1',
      operatorName: 'n',
      treatmentCode: '010101',
    };
    expectCode('hop.esccard.auth.qr', auth, '020011', 'outAuthorizeTime');
    expectOk('hop.esccard.auth.qr', { ...auth, outAuthorizeTime: '20190718121742' });
    expectCode(
      'hop.esccard.auth.qr',
      { ...auth, outAuthorizeTime: '20190718121742', treatmentCode: '9' },
      '020000',
    );
  });
  test('dictionary violations list the allowed values', () => {
    expectCode('hop.trade.recharge', { ...RECHARGE, cardType: '11' }, '020000', 'cardType', '01/02');
    expectCode('hop.trade.recharge', { ...RECHARGE, accountType: '03' }, '020000', 'accountType', '01/02');
    expectCode('hop.trade.refund', { ...REFUND, withdrawMode: '4' }, '020000', 'withdrawMode', '0/1/2/3');
    expectCode(
      'hop.trade.refund',
      { ...REFUND, refundType: 'other' },
      '020000',
      'refundType',
      'prepareAndConfirm',
    );
    expectCode('hop.trade.recharge', { ...RECHARGE, extra: { deskflak: '2' } }, '020000', 'extra.deskflak');
    // Only own dictionary keys count: inherited names are not codes.
    expectCode('hop.trade.refund', { ...REFUND, refundType: 'constructor' }, '020000', 'refundType');
    // The one documented value of a required field does not exclude the default mode.
    expectOk('hop.trade.refund', { ...REFUND, refundDeskMode: '0' });
  });
});

describe('per-transType rules', () => {
  test('query: outTradeNo or traceNo', () => {
    const neither = { ...QUERY };
    delete neither['traceNo'];
    expectCode('hop.trade.query', neither, '020001', 'outTradeNo', 'traceNo');
    expectOk('hop.trade.query', { ...neither, outTradeNo: 'C1' });
    expectOk('hop.trade.query', { ...QUERY, outTradeNo: 'C1' });
    // Char(2) in the table, but its values are transType names.
    expectOk('hop.trade.query', { ...QUERY, tradeType: 'hop.trade.refund' });
    expectCode('hop.trade.query', { ...QUERY, tradeType: '01' }, '020000', 'tradeType');
  });
  test('recpay: items in order, consumeAmount equals the sum in fen', () => {
    const p = expectOk('hop.trade.recpay', RECPAY);
    const extra = p['extra'] as P;
    assert.ok(Array.isArray(extra['examList']));
    expectCode('hop.trade.recpay', { ...RECPAY, consumeAmount: '50.49' }, '020003', 'consumeAmount', '50.50');
    expectCode(
      'hop.trade.recpay',
      { ...RECPAY, extra: { examList: [item(2, '50.50')] }, consumeAmount: '50.50' },
      '020000',
      'itemSeq',
    );
    expectCode('hop.trade.recpay', { ...RECPAY, rechargeAmount: '60.00' }, '020003', 'rechargeAmount');
    expectCode('hop.trade.recpay', { ...RECPAY, extra: {} }, '020001', 'extra.examList');
    expectCode('hop.trade.recpay', { ...RECPAY, extra: { examList: [] } }, '020001', 'extra.examList');
    expectCode('hop.trade.recpay', { ...RECPAY, extra: '' }, '020001', 'extra');
    const noName = item(1, '50.50');
    delete noName['itemName'];
    expectCode(
      'hop.trade.recpay',
      { ...RECPAY, extra: { examList: [noName] } },
      '020001',
      'extra.examList[0].itemName',
    );
    expectCode(
      'hop.trade.recpay',
      { ...RECPAY, extra: { examList: [item(1, '50.50', '1.5')] } },
      '020000',
      'extra.examList[0].itemNum',
    );
    // 0.1 + 0.2 style float error cannot happen: ten items of 0.10 and 0.20.
    const list = Array.from({ length: 10 }, (_, i) => item(i + 1, i % 2 ? '0.20' : '0.10'));
    expectOk('hop.trade.recpay', {
      ...RECPAY,
      rechargeAmount: '1.50',
      consumeAmount: '1.50',
      extra: { examList: list },
    });
    expectOk('hop.trade.recpay', {
      ...RECPAY,
      extra: {
        examList: JSON.stringify([item(1, '20.25', '2'), item(2, '10.00')]),
        medicalParam: '{"grzfe0":"1"}',
      },
    });
  });
  test('drug push: cancelDesc required when cancelled', () => {
    expectOk('hop.mmpay.push.drug', DRUG);
    expectCode('hop.mmpay.push.drug', { ...DRUG, drugState: 'cancel' }, '020001', 'cancelDesc');
    expectOk('hop.mmpay.push.drug', { ...DRUG, drugState: 'cancel', cancelDesc: '药品退费' });
  });
  test('bill push: same day; cardNo may be empty for self-pay only', () => {
    expectOk('hop.inpatient.msg.bill', BILL);
    const noCard = { ...BILL, cardNo: '' };
    expectCode('hop.inpatient.msg.bill', noCard, '020001', 'cardNo');
    expectOk('hop.inpatient.msg.bill', { ...noCard, patientType: '00' });
  });
  test('pay.cancel: required extra fields, amount optional', () => {
    const cancel = {
      operatorId: '1',
      operatorName: 'n',
      accountType: '01',
      withdrawMode: '1',
      outTradeNo: 'T1',
      hisCustId: 'H1',
      outCancelNo: 'X1',
      extra: { phyExamNo: 'PE1', purchaseNo: 'P1' },
    };
    expectOk('hop.trade.pay.cancel', cancel);
    expectCode(
      'hop.trade.pay.cancel',
      { ...cancel, extra: { phyExamNo: 'PE1' } },
      '020001',
      'extra.purchaseNo',
    );
    expectCode('hop.trade.pay.cancel', { ...cancel, withdrawMode: '0' }, '020000', 'withdrawMode');
    expectCode('hop.trade.pay.cancel', { ...cancel, outCancelNo: '' }, '020013', 'outCancelNo');
    expectCode('hop.trade.pay.cancel', { ...cancel, amount: '0' }, '020003', 'amount');
  });
  test('setinfo and wristband', () => {
    expectOk('hop.trade.setinfo', {
      serveraddr: 'http://10.10.10.110:1301/onepay-web/oneweb/oneapi',
      appid: 'a',
      appsecret: 's',
    });
    expectCode('hop.trade.setinfo', { serveraddr: 'x', appid: 'a' }, '020001', 'appsecret');
    expectOk('portal.wb.queryAccount', { key: 'K1' });
    expectCode('portal.wb.cancelQrCode', { key: 'x'.repeat(33) }, '020002', 'key');
  });
});

describe('precedence', () => {
  test('is exported as data, starting with the envelope codes', () => {
    assert.deepEqual(PRECEDENCE[0]?.codes, ['000003']);
    assert.deepEqual(PRECEDENCE[1]?.codes, ['000004']);
  });
  test('unknown fields before field checks; table order among fields; empty before type', () => {
    expectStrictCode('hop.trade.recharge', { ...RECHARGE, foo: '1', termNo: '' }, '020000', 'foo');
    // operatorId comes before amount in the table.
    expectCode('hop.trade.recharge', { ...RECHARGE, operatorId: '', amount: 'x' }, '020001', 'operatorId');
    // Field checks come before cross-field rules.
    expectCode(
      'hop.trade.recharge',
      { ...RECHARGE, depositType: 'WX_BAR', notes: 'x'.repeat(257) },
      '020002',
      'notes',
    );
  });
  test('fieldOf walks nested names', () => {
    assert.equal(fieldOf('hop.trade.recharge', 'extra.authCode')?.source?.includes('020010'), true);
    assert.equal(fieldOf('hop.trade.recharge', 'extra.userSex')?.requiredForAccountOpening, true);
    assert.equal(fieldOf('hop.trade.recpay', 'extra.examList.itemSeq')?.rule, 'digits');
    assert.equal(fieldOf('hop.trade.query', 'extra.paytype', 'response')?.max, 16);
    assert.equal(fieldOf('hop.trade.recharge', 'nope'), undefined);
  });
});
