import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deriveKeys } from './keys.js';
import { openEnvelope } from './open.js';
import { parseEnvelope } from './parse.js';
import { computeVectors, libraryEnvelopes, VECTOR_INPUTS } from './vectors.fixture.js';

const FILE = fileURLToPath(new URL('../../../docs/test-vectors.json', import.meta.url));

// UPDATE_VECTORS=1 rewrites the file; only do that for a deliberate wire-format change.
if (process.env['UPDATE_VECTORS'] === '1')
  writeFileSync(FILE, `${JSON.stringify(computeVectors(), null, 2)}\n`);

type Step = { envelope: unknown; body: string; plaintext: string };
type Doc = { suites: Record<'SM' | 'AES', { keys: Record<string, string>; request: Step; response: Step }> };
const doc = JSON.parse(readFileSync(FILE, 'utf8')) as Doc;

test('docs/test-vectors.json equals the step-by-step computation', () => {
  assert.deepEqual(doc, computeVectors());
});

for (const suite of ['SM', 'AES'] as const) {
  test(`${suite}: the library seals exactly the vector envelopes`, () => {
    const lib = libraryEnvelopes()[suite];
    assert.deepEqual(lib.request, doc.suites[suite].request.envelope);
    assert.deepEqual(lib.response, doc.suites[suite].response.envelope);
  });

  test(`${suite}: derived keys and kcv match the vectors`, () => {
    const keys = deriveKeys(VECTOR_INPUTS.secret, suite);
    const want = doc.suites[suite].keys;
    assert.equal(keys.encKey.toString('hex'), want['encKeyHex']);
    assert.equal(keys.macKey.toString('hex'), want['macKeyHex']);
    assert.equal(keys.kcv, want['kcv']);
    if (keys.suite === 'SM') assert.equal(keys.authKey.toString('hex'), want['authKeyHex']);
  });

  test(`${suite}: the vector bodies open at their own time`, () => {
    const keys = deriveKeys(VECTOR_INPUTS.secret, suite);
    const req = parseEnvelope(doc.suites[suite].request.body);
    assert.ok(req.ok);
    assert.deepEqual(openEnvelope(req.env, keys, { direction: 'req', now: 1_700_000_000 }), {
      ok: true,
      plaintext: VECTOR_INPUTS.request.plaintext,
    });
    const resp = parseEnvelope(doc.suites[suite].response.body);
    assert.ok(resp.ok);
    const opened = openEnvelope(resp.env, keys, {
      direction: 'resp',
      reqNonce: VECTOR_INPUTS.request.nonce,
      now: 1_700_000_001,
    });
    assert.deepEqual(opened, { ok: true, plaintext: VECTOR_INPUTS.response.plaintext });
  });
}
