import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { availability } from './harness.js';
import { checkVectors } from './vectors.js';

/**
 * The DLL's pure-C parts (envelope, JSON, SM3/SM4, the client logic) built for Linux with
 * AddressSanitizer and UndefinedBehaviorSanitizer: a read or write past any buffer aborts.
 * OpenSSL stands in for Windows CNG in the AES suite here; under wine the DLL uses CNG itself.
 */
const CORE = ['client', 'envelope', 'json', 'text', 'sm3', 'sm4'].map((f) => `native/payclient/${f}.c`);
const FLAGS = [
  '-std=c99',
  '-O1',
  '-g',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
  '-Wall',
  '-Wextra',
  '-Werror',
];

function toolProblem(): string | null {
  const probe = spawnSync('gcc', [...FLAGS, '-x', 'c', '-', '-lcrypto', '-o', '/dev/null'], {
    input: '#include <openssl/evp.h>\nint main(void){return 0;}\n',
    encoding: 'utf8',
  });
  return probe.status === 0
    ? null
    : `gcc with sanitizers and OpenSSL headers (libssl-dev) missing: ${probe.stderr.slice(0, 200)}`;
}

const run = (file: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(file, args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`))
        : resolve(stdout),
    ),
  );

describe(
  'payclient.dll C core, native build under ASan and UBSan',
  availability('native C tests', toolProblem()),
  () => {
    let dir: string;
    const built: Record<string, string> = {};

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'onepay-native-'));
      for (const [name, sources] of [
        ['envelope_cli', ['native/test/envelope_cli.c', ...CORE.filter((f) => !f.endsWith('client.c'))]],
        ['fuzz', ['native/test/fuzz.c', ...CORE]],
      ] as const) {
        const out = join(dir, name);
        const result = spawnSync(
          'gcc',
          [...FLAGS, '-Inative/payclient', ...sources, 'native/test/crypto_openssl.c', '-lcrypto', '-o', out],
          { encoding: 'utf8' },
        );
        assert.equal(result.status, 0, result.stderr);
        built[name] = out;
      }
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('passes every vector of docs/test-vectors.json, both suites', async () => {
      const checks = await checkVectors(
        (args) => run(built['envelope_cli']!, args),
        dir,
        (f) => f,
      );
      assert.ok(checks >= 40, `${checks} checks`);
    });

    it('a bounded fuzz of pindata and platform answers never crashes, overruns or answers without a respCode', async () => {
      for (const seed of [1, 2, 3]) {
        const out = JSON.parse(await run(built['fuzz']!, [String(seed), '20000'])) as Record<string, number>;
        assert.equal(out['iterations'], 20000);
        // Every kind of outcome was reached, so the fuzz went past the first checks.
        for (const kind of ['negative', 'ok', 'other'])
          assert.ok(out[kind]! > 0, `${seed}: ${kind} ${JSON.stringify(out)}`);
        // The fake platform's 010006 says "(当前 1700000999)" while the local clock is 1700000000 ± 1.
        assert.ok(
          Math.abs(out['clockOffset']! - 999) <= 1,
          `the skew answer taught the platform clock: ${out['clockOffset']}`,
        );
      }
    });
  },
);
