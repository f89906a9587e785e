import fc from 'fast-check';
import { CATALOG, type Field, TRANS_TYPES } from '../../src/protocol/catalog/index.js';

/** Values a real HIS sends, so fuzzed requests also get past validation and into the trades. */
const PLAUSIBLE = [
  '',
  '0',
  '1',
  '01',
  '02',
  '03',
  '04',
  'CASH',
  'ALI_BAR',
  'WX_QR',
  'ONE_QR',
  'POS',
  '1.00',
  '0.01',
  '-1.00',
  '1e3',
  '99999999999.99',
  '20240101120000',
  '13011111111',
  '350288888888888888',
  '2856789012345670',
  '134567890123456788',
  '蔡少辉',
  'hop.trade.recharge',
  'hop.trade.refund',
  '张三',
  ' ',
  'null',
  '{}',
  '[]',
  '\u0000',
  '\ud800',
];

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{1,40}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

function fieldsOf(transType: string): readonly Field[] {
  return (CATALOG as Record<string, { request: readonly Field[] }>)[transType]?.request ?? [];
}

/** A param object: some of the transType's own fields (plausible or wild values), sometimes a stranger key. */
function paramArb(transType: string): fc.Arbitrary<unknown> {
  const names = fieldsOf(transType).map((f) => f.name);
  const keys = names.length > 0 ? fc.constantFrom(...names) : fc.string({ maxLength: 8 });
  const extra = fc.dictionary(
    fc.constantFrom('deskflak', 'authCode', 'userSex', 'cardZone', 'idType', 'mobilePhone', 'paytype'),
    scalar,
    { maxKeys: 5 },
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.dictionary(keys, scalar, { maxKeys: 25 }), extra)
        .map(([p, e]) => ({ ...p, extra: e })),
    },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), scalar, { maxKeys: 5 }) },
    { weight: 1, arbitrary: scalar },
  );
}

/** Pindata text: a request shaped like the spec's, or text that only looks like one. */
export const pindataArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .oneof(
        { weight: 8, arbitrary: fc.constantFrom(...TRANS_TYPES) },
        { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
      )
      .chain((transType) => paramArb(transType).map((param) => JSON.stringify({ transType, param }))),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

/** What is done to the bytes of a good envelope. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'field'; readonly field: string; readonly value: unknown }
  | { readonly kind: 'drop'; readonly field: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

const FIELDS = ['v', 'appid', 'suite', 'ts', 'nonce', 'kcv', 'iv', 'ct', 'mac'] as const;

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom(...FIELDS), value: scalar }),
  fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
);

export function mutate(body: string, m: Mutation): string {
  if (m.kind === 'flip') {
    const bytes = Buffer.from(body);
    const i = m.at % bytes.length;
    bytes[i] = (bytes[i] ?? 0) ^ (1 << m.bit);
    return bytes.toString('latin1');
  }
  if (m.kind === 'truncate') return body.slice(0, m.at % body.length);
  if (m.kind === 'insert') {
    const i = m.at % body.length;
    return body.slice(0, i) + m.text + body.slice(i);
  }
  const env = JSON.parse(body) as Record<string, unknown>;
  if (m.kind === 'drop') delete env[m.field];
  else env[m.field] = m.value;
  return JSON.stringify(env);
}

/** Bodies that are not envelopes at all, now and then one far over the body limit. */
export const garbageArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(64 * 1024 + n)) },
);
