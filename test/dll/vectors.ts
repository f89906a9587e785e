import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs envelope_cli (native or under wine) with these arguments; resolves with its stdout. */
export type EnvelopeCli = (args: string[]) => Promise<string>;

interface Stage {
  direction: 'req' | 'resp';
  ts: string;
  nonce: string;
  reqNonce: string;
  ivHex: string;
  plaintext: string;
  ciphertextHex: string;
  tagHex: string;
  mac: string;
  body: string;
}

interface Vectors {
  secret: string;
  appid: string;
  suites: Record<'SM' | 'AES', { keys: Record<string, string>; request: Stage; response: Stage }>;
}

export const VECTORS = JSON.parse(readFileSync('docs/test-vectors.json', 'utf8')) as Vectors;

const line = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
const text = (hex: unknown) => Buffer.from(String(hex), 'hex').toString('utf8');

/**
 * Every vector of docs/test-vectors.json through the C envelope: the five key values, the sealed
 * body byte for byte (so header, ciphertext, tag, iv and mac), opening both bodies at their ts,
 * and the client's reading of the answer. `dir` holds the body files; `path` names them for the CLI.
 */
export async function checkVectors(
  cli: EnvelopeCli,
  dir: string,
  path: (file: string) => string,
): Promise<number> {
  let checks = 0;
  for (const suite of ['SM', 'AES'] as const) {
    const v = VECTORS.suites[suite];
    const keys = line(await cli(['keys', suite, VECTORS.secret]));
    assert.deepEqual(keys, v.keys, `${suite} keys`);
    checks += Object.keys(v.keys).length;
    for (const stage of [v.request, v.response]) {
      const sealed = line(
        await cli([
          'seal',
          suite,
          VECTORS.secret,
          stage.direction,
          VECTORS.appid,
          stage.ts,
          stage.nonce,
          stage.reqNonce === '' ? '-' : stage.reqNonce,
          stage.ivHex,
          Buffer.from(stage.plaintext, 'utf8').toString('hex'),
        ]),
      );
      const body = text(sealed['bodyHex']);
      assert.equal(body, stage.body, `${suite} ${stage.direction} body`);
      const ct = Buffer.from((JSON.parse(body) as { ct: string }).ct, 'base64');
      assert.equal(ct.subarray(0, -16).toString('hex'), stage.ciphertextHex, `${suite} ${stage.direction} C`);
      assert.equal(ct.subarray(-16).toString('hex'), stage.tagHex, `${suite} ${stage.direction} T`);
      assert.equal((JSON.parse(body) as { mac: string }).mac, stage.mac);
      checks += 4;

      const file = join(dir, `${suite}-${stage.direction}.json`);
      writeFileSync(file, stage.body);
      const reqNonce = stage.reqNonce === '' ? '-' : stage.reqNonce;
      const opened = line(
        await cli([
          'open',
          suite,
          VECTORS.secret,
          stage.direction,
          VECTORS.appid,
          reqNonce,
          stage.ts,
          path(file),
        ]),
      );
      assert.equal(opened['status'], 0, `${suite} ${stage.direction} opens`);
      assert.equal(text(opened['plaintextHex']), stage.plaintext);
      // The same body fails when anything bound into it differs: another request's nonce, the window.
      const otherNonce = 'ff'.repeat(16);
      const wrong = line(
        await cli([
          'open',
          suite,
          VECTORS.secret,
          stage.direction,
          VECTORS.appid,
          otherNonce,
          stage.ts,
          path(file),
        ]),
      );
      assert.notEqual(wrong['status'], 0, `${suite} ${stage.direction} bound to its request`);
      const stale = line(
        await cli([
          'open',
          suite,
          VECTORS.secret,
          stage.direction,
          VECTORS.appid,
          reqNonce,
          String(Number(stage.ts) + 301),
          path(file),
        ]),
      );
      assert.equal(stale['status'], 3, `${suite} ${stage.direction} outside the window`);
      checks += 3;
    }
    const answerFile = join(dir, `${suite}-answer.json`);
    writeFileSync(answerFile, v.response.body);
    const read = line(
      await cli([
        'answer',
        suite,
        VECTORS.secret,
        VECTORS.appid,
        v.response.reqNonce,
        v.response.ts,
        path(answerFile),
      ]),
    );
    assert.equal(read['kind'], 0, `${suite} answer believed`);
    assert.equal(text(read['textHex']), v.response.plaintext);
    const forged = join(dir, `${suite}-forged.json`);
    writeFileSync(forged, JSON.stringify({ respCode: '000000', respMsg: '处理成功' }));
    const unsealed = line(
      await cli([
        'answer',
        suite,
        VECTORS.secret,
        VECTORS.appid,
        v.response.reqNonce,
        v.response.ts,
        path(forged),
      ]),
    );
    assert.equal(unsealed['kind'], 2, `${suite}: an unsealed 000000 is not believed`);
    checks += 2;
  }
  return checks;
}
