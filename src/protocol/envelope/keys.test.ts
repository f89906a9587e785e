import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKeys, exportKeys, importKeys, KEY_CACHE_MAX_ENTRIES, keysFromSecret } from './keys.js';

test('each suite derives keys of the documented lengths, all different', () => {
  const sm = deriveKeys('secret-1', 'SM');
  assert.equal(sm.suite, 'SM');
  if (sm.suite !== 'SM') return;
  assert.equal(sm.encKey.length, 16);
  assert.equal(sm.authKey.length, 32);
  assert.equal(sm.macKey.length, 32);
  assert.match(sm.kcv, /^[0-9a-f]{16}$/);
  assert.notDeepEqual(sm.authKey, sm.macKey);
  const aes = deriveKeys('secret-1', 'AES');
  assert.equal(aes.encKey.length, 32);
  assert.equal(aes.macKey.length, 32);
  assert.notEqual(aes.kcv, sm.kcv);
  assert.notEqual(deriveKeys('secret-2', 'SM').kcv, sm.kcv);
});

test('secrets that cannot be appsecrets are refused with 010005', () => {
  assert.throws(() => deriveKeys('', 'SM'), { code: '010005' });
  assert.throws(() => deriveKeys('x'.repeat(257), 'AES'), { code: '010005' });
  assert.throws(() => deriveKeys('a\uDC00', 'AES'), { code: '010005' });
  assert.throws(() => deriveKeys('ok', 'DES' as 'SM'), { code: '000001' });
  assert.doesNotThrow(() => deriveKeys('x'.repeat(256), 'SM'));
  assert.doesNotThrow(() => deriveKeys('密码😀', 'SM'));
});

test('exported keys import back to the same keys; damage is refused', () => {
  for (const suite of ['SM', 'AES'] as const) {
    const keys = deriveKeys('stored-secret', suite);
    const stored = JSON.parse(JSON.stringify(exportKeys(keys)));
    assert.deepEqual(importKeys(stored), keys);
    assert.throws(() => importKeys({ ...stored, macKey: stored.macKey.slice(2) }), { code: '010005' });
    assert.throws(() => importKeys({ ...stored, kcv: 'nothex!!nothex!!' }), { code: '010005' });
  }
  const sm = exportKeys(deriveKeys('stored-secret', 'SM'));
  const { authKey: _dropped, ...withoutAuth } = sm;
  assert.throws(() => importKeys(withoutAuth), { code: '010005' });
});

test('the key cache is bounded and keeps recently used entries', () => {
  const first = keysFromSecret('cache-0', 'SM');
  for (let i = 1; i < KEY_CACHE_MAX_ENTRIES + 10; i++) {
    keysFromSecret(`cache-${i}`, 'AES');
    if (i % 50 === 0) assert.equal(keysFromSecret('cache-0', 'SM'), first);
  }
  // Touched every 50 derivations, so never the least recently used.
  assert.equal(keysFromSecret('cache-0', 'SM'), first);
  // An entry untouched since the start has been evicted: a new but equal object comes back.
  const again = keysFromSecret('cache-1', 'AES');
  assert.deepEqual(again, deriveKeys('cache-1', 'AES'));
});
