/**
 * The catalog against the spec itself: every transType, every return code and
 * every request field name of the spec's tables must be in the catalog. The
 * spec is the PDF extraction kept verbatim in spec/, so names split by the
 * extraction are normalised here, in one visible place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SPEC_CODES } from '../codes.js';
import { DICTIONARIES, isDictionaryName } from '../dictionaries.js';
import { CATALOG, isTransTypeName, TRANS_TYPES } from './index.js';
import type { Field } from './types.js';

const SPEC = readFileSync(new URL('../../../spec/payclient-interface-spec.md', import.meta.url), 'utf8');

/** Names the PDF cut across two table rows: the first half → the whole name. */
const SPLIT_NAMES: Record<string, string> = { applyDoctorN: 'applyDoctorName', medicalPara: 'medicalParam' };
/** The second halves of those cuts, which appear as rows of their own. */
const SPLIT_TAILS = new Set(['ame', 'm']);

const despace = (s: string) => s.replace(/\s+/g, '');

function cells(row: string): string[] {
  return row
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_WORD = /^(Char|char|String|JSON|JSONString|Map|N|Y)$/;

/** The request field names of each transType section of the spec. */
function specRequestFields(): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  let inRequest = false;
  for (const row of SPEC.split('\n')) {
    if (!row.startsWith('|')) continue;
    const flat = despace(row);
    if (flat.includes('接口名称')) {
      const name = despace(
        cells(row)
          .filter((c) => c !== '')
          .at(-1) ?? '',
      );
      current = sections.get(name) ?? new Set();
      sections.set(name, current);
      inRequest = false;
      continue;
    }
    if (!current) continue;
    if (flat.includes('请求入参集合')) {
      inRequest = true;
      continue;
    }
    if (flat.includes('响应参数结构')) {
      inRequest = false;
      continue;
    }
    if (!inRequest) continue;
    const first = cells(row).find(
      (c) => c !== '' && !/[^\x20-\x7e]/.test(c) && IDENT.test(c) && !TYPE_WORD.test(c),
    );
    if (!first || SPLIT_TAILS.has(first)) continue;
    current.add(SPLIT_NAMES[first] ?? first);
  }
  return sections;
}

function allNames(fields: readonly Field[], out = new Set<string>()): Set<string> {
  for (const f of fields) {
    out.add(f.name);
    if (f.fields) allNames(f.fields, out);
  }
  return out;
}

function everyField(fields: readonly Field[], visit: (f: Field) => void): void {
  for (const f of fields) {
    visit(f);
    if (f.fields) everyField(f.fields, visit);
  }
}

test('every transType of the spec is in the catalog, and nothing else is', () => {
  const fromTables = [...specRequestFields().keys()];
  const fromList = [...SPEC.matchAll(/^\|\s*((?:hop|portal)\.[A-Za-z.]+)\s*\|/gm)].map((m) => m[1]!);
  const spec = new Set([...fromTables, ...fromList]);
  assert.equal(spec.size, 20, `spec names: ${[...spec].join(', ')}`);
  for (const name of spec) assert.ok(isTransTypeName(name), `catalog lacks ${name}`);
  assert.deepEqual(new Set(TRANS_TYPES), spec);
  for (const name of TRANS_TYPES) assert.equal(CATALOG[name].name, name);
});

test('every return code of the spec is in SPEC_CODES with its text', () => {
  const rows = [...SPEC.matchAll(/^\|\s*(\d{6})\s*\|\s*([^|]+?)\s*\|/gm)];
  const found = new Set(rows.map((r) => r[1]));
  assert.deepEqual(new Set(Object.keys(SPEC_CODES)), found, 'SPEC_CODES and the spec list the same codes');
  for (const [, code, text] of rows) {
    assert.ok(Object.hasOwn(SPEC_CODES, code!), `SPEC_CODES lacks ${code}`);
    assert.equal(despace(SPEC_CODES[code as keyof typeof SPEC_CODES]), despace(text!), code);
  }
});

test('every request field of every spec table is in the catalog', () => {
  const sections = specRequestFields();
  for (const [name, fields] of sections) {
    assert.ok(isTransTypeName(name), name);
    assert.ok(fields.size > 0, `no request fields parsed for ${name}`);
    const known = allNames(CATALOG[name].request);
    const missing = [...fields].filter((f) => !known.has(f));
    // Guards the parser itself: a table read as empty would pass vacuously.
    assert.ok(
      fields.has(CATALOG[name].request[0]!.name),
      `${name}: parser missed ${CATALOG[name].request[0]!.name}`,
    );
    assert.deepEqual(missing, [], `${name} lacks ${missing.join(', ')}`);
  }
});

test('every catalog field without a stated source is named in the spec', () => {
  const flat = despace(SPEC);
  for (const name of TRANS_TYPES) {
    const spec = CATALOG[name];
    everyField([...spec.request, ...spec.response, ...(spec.responseTop ?? [])], (f) => {
      if (f.source === undefined) assert.ok(flat.includes(f.name), `${name}.${f.name} is not in the spec`);
    });
  }
});

test('dictionaries resolve, and limits are sane', () => {
  assert.equal(Object.keys(DICTIONARIES.channel).length, 19);
  assert.equal(Object.keys(DICTIONARIES.cardType).length, 10);
  assert.equal(Object.keys(DICTIONARIES.selectCardType).length, 12);
  for (const name of TRANS_TYPES) {
    const spec = CATALOG[name];
    everyField([...spec.request, ...spec.response, ...(spec.responseTop ?? [])], (f) => {
      if (f.dict !== undefined)
        assert.ok(isDictionaryName(f.dict), `${name}.${f.name}: unknown dictionary ${f.dict}`);
      if (f.max !== undefined) assert.ok(Number.isInteger(f.max) && f.max > 0, `${name}.${f.name} max`);
      if (f.kind !== 'string') assert.ok(f.max === undefined, `${name}.${f.name}: object with a max`);
    });
  }
});

test('dictionary values fit the field they constrain', () => {
  // A value the limit rejects would make the dictionary unusable (Char(2) tradeType, Char(1) accountType).
  for (const name of TRANS_TYPES) {
    everyField(CATALOG[name].request, (f) => {
      if (f.dict === undefined || !isDictionaryName(f.dict)) return;
      const limit = f.max ?? f.cap ?? 256;
      for (const code of Object.keys(DICTIONARIES[f.dict])) {
        assert.ok(code.length <= limit, `${name}.${f.name}: ${code} longer than ${limit}`);
      }
    });
  }
});
