/**
 * Totality: whatever arrives, validatePindata answers (never throws), with a
 * code of the spec, and what it accepts it accepts again (normalisation is a
 * fixed point). Runs a few thousand cases here; the long run sets FUZZ_RUNS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CATALOG, TRANS_TYPES } from './catalog/index.js';
import { isSpecCode } from './codes.js';
import { type Validated, validatePindata } from './validate.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);

function checkAnswer(r: Validated): void {
  if (r.ok) {
    assert.ok(TRANS_TYPES.includes(r.transType));
    assert.equal(typeof r.param, 'object');
    const param: Readonly<Record<string, unknown>> = r.param;
    for (const field of CATALOG[r.transType].request) {
      const v = param[field.name];
      if (field.kind === 'object')
        assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), field.name);
      if (!field.optional && field.kind === 'string')
        assert.ok(typeof v === 'string' && v.trim() !== '', field.name);
    }
    const again = validatePindata({ transType: r.transType, param: r.param });
    assert.ok(again.ok, again.ok ? '' : again.answer.respMsg);
    assert.deepEqual(again.param, r.param);
  } else {
    assert.ok(isSpecCode(r.answer.respCode), r.answer.respCode);
    assert.equal(typeof r.answer.respMsg, 'string');
    // The catch-all is only for hostile objects; JSON data must get a real answer.
    assert.ok(!r.answer.respMsg.includes('请求无法读取'), r.answer.respMsg);
  }
}

function total(input: unknown): void {
  let r: Validated;
  try {
    r = validatePindata(input);
  } catch (e) {
    assert.fail(`threw on ${JSON.stringify(input)?.slice(0, 200)}: ${String(e)}`);
  }
  checkAnswer(r);
}

test('any string is answered', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), total), { numRuns: RUNS });
});

test('any JSON value, as text or parsed, is answered', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      total(v);
      total(JSON.stringify(v));
    }),
    { numRuns: RUNS },
  );
});

const anyValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '0.00',
    '1.005',
    '01',
    '02',
    'WX_BAR',
    'cancel',
    '20190718121742',
    '2019-07-18',
    '{}',
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Requests close to valid ones: real transTypes, real field names, arbitrary values. */
const nearValid = fc.constantFrom(...TRANS_TYPES).chain((transType) => {
  const names = CATALOG[transType].request.map((f) => f.name);
  const key = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 }));
  return fc.record({
    transType: fc.constant(transType),
    param: fc.dictionary(key, anyValue, { maxKeys: names.length }),
  });
});

test('near-valid requests are answered', () => {
  fc.assert(
    fc.property(nearValid, (req) => {
      total(req);
      total(JSON.stringify(req));
    }),
    { numRuns: RUNS },
  );
});

const digits = (n: number) => fc.stringMatching(new RegExp(`^[1-9][0-9]{0,${n - 1}}$`));
const yuan = fc.tuple(fc.nat(99999), fc.nat(99)).map(([y, f]) => `${y}.${String(f).padStart(2, '0')}`);

test('valid recharges pass, whatever the amount and text', () => {
  fc.assert(
    fc.property(
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 64 })
        .filter((s) => s.trim() !== '' && [...s].length <= 64),
      digits(30),
      yuan.filter((y) => y !== '0.00'),
      (userName, outChargeNo, amount) => {
        const r = validatePindata({
          transType: 'hop.trade.recharge',
          param: {
            operatorId: '001',
            termNo: 'T',
            operatorName: '张三',
            cardType: '01',
            cardNo: 'D1',
            accountType: '01',
            hisCustId: 'H1',
            userName,
            amount,
            outChargeNo,
          },
        });
        assert.ok(r.ok, r.ok ? '' : r.answer.respMsg);
        checkAnswer(r);
      },
    ),
    { numRuns: RUNS },
  );
});
