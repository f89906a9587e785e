import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';

test('keys sorted by UTF-16 units at every depth, the same text whatever the order given', () => {
  const a = { b: 1, a: [{ z: null, y: '中' }, 'x'], 'A-b': { d: true, c: 1.5 }, é: '', '10': 0, '9': 1 };
  const b = { é: '', '9': 1, 'A-b': { c: 1.5, d: true }, a: [{ y: '中', z: null }, 'x'], '10': 0, b: 1 };
  const text = '{"10":0,"9":1,"A-b":{"c":1.5,"d":true},"a":[{"y":"中","z":null},"x"],"b":1,"é":""}';
  assert.equal(canonicalJson(a), text);
  assert.equal(canonicalJson(b), text);
});

test('values JSON.stringify writes: escapes, undefined members as null, empty containers', () => {
  assert.equal(
    canonicalJson({ 'q"': 'a\nb', u: undefined, e: {}, l: [] }),
    '{"e":{},"l":[],"q\\"":"a\\nb","u":null}',
  );
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson('x'), '"x"');
  assert.equal(canonicalJson([1, undefined]), '[1,null]');
});
