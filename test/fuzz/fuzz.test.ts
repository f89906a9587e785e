/**
 * Fuzz over HTTP: generated pindata sealed with the right key, good envelopes
 * mutated byte- and field-wise, and bodies that are not envelopes at all.
 * Every answer must be JSON with a code of the spec's table, never a 5xx,
 * the platform must keep serving, and its heap must stay flat.
 * Short in npm test; long form: ONEPAY_FUZZ_COUNT=120000 (npm run test:fuzz).
 * Replay with ONEPAY_FUZZ_SEED=<seed>.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { Conn } from '../../bench/lib/conn.js';
import { answerCode, type Credentials, seal } from '../../bench/lib/requests.js';
import { API_PATH } from '../../src/platform/http.js';
import { isSpecCode } from '../../src/protocol/codes.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { garbageArb, mutate, mutationArb, pindataArb } from './generate.js';

const COUNT = Number(process.env['ONEPAY_FUZZ_COUNT'] ?? '3000');
const SEED = Number(process.env['ONEPAY_FUZZ_SEED'] ?? randomBytes(4).readInt32LE(0));
const CONNECTIONS = 8;
const CHUNK = 500;
/** Heap growth tolerated across the run once warm: bounded caches fill, nothing else may grow. */
const HEAP_TOLERANCE_BYTES = 24 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Case {
  readonly body: string;
  readonly nonce: string;
  readonly sealed: boolean;
}

function cases(creds: Credentials, chunk: number): Case[] {
  const seed = SEED + chunk;
  const out: Case[] = [];
  const pindata = fc.sample(pindataArb, { seed, numRuns: Math.ceil(CHUNK * 0.4) });
  for (const text of pindata) {
    try {
      const s = seal(creds, text);
      out.push({ body: s.body.toString(), nonce: s.nonce, sealed: true });
    } catch {
      // Over the sealed size limit: the client refuses it itself, so it never reaches a platform.
    }
  }
  const base = seal(creds, '{"transType":"hop.trade.query","param":{}}');
  for (const m of fc.sample(mutationArb, { seed, numRuns: Math.ceil(CHUNK * 0.4) })) {
    const fresh = seal(creds, '{"transType":"hop.trade.query","param":{}}');
    out.push({ body: mutate(fresh.body.toString(), m), nonce: fresh.nonce, sealed: false });
  }
  for (const g of fc.sample(garbageArb, { seed, numRuns: Math.ceil(CHUNK * 0.2) })) {
    out.push({ body: g, nonce: base.nonce, sealed: false });
  }
  return out;
}

describe('fuzz: pindata and envelopes over HTTP', () => {
  let t: TestPlatform;
  let creds: Credentials;
  before(async () => {
    t = await startTestPlatform(TEST_DATABASES[0] as (typeof TEST_DATABASES)[number], {
      // Short bounds, so a fuzzed barcode payment or duplicate does not hold a connection for seconds.
      settings: { barcodePollIntervalMs: 1, barcodePollMax: 2, duplicateWaitMs: 20, refundMinIntervalMs: 0 },
      suite: 'AES',
    });
    creds = { appid: t.appid, secret: t.secret, suite: 'AES' };
  });
  after(() => t?.close());

  it(`${COUNT} requests, seed ${SEED}: spec codes only, no 5xx, heap flat`, {
    timeout: 3_600_000,
  }, async () => {
    const url = new URL(t.running.url);
    const conns = await Promise.all(
      Array.from({ length: CONNECTIONS }, () => Conn.open(url.hostname, Number(url.port), API_PATH)),
    );
    const problems: string[] = [];
    let sent = 0;
    let heapWarm = 0;
    for (let chunk = 0; sent < COUNT; chunk++) {
      const batch = cases(creds, chunk).slice(0, COUNT - sent);
      let next = 0;
      await Promise.all(
        conns.map(async (conn, i) => {
          while (next < batch.length) {
            const c = batch[next++] as Case;
            let reply: Awaited<ReturnType<Conn['post']>> | undefined;
            // A server may close a connection after answering an oversized or unparsable body;
            // the case is then sent again once on a fresh connection.
            for (let attempt = 0; attempt < 2 && !reply; attempt++) {
              try {
                reply = await conn.post(c.body);
              } catch (error) {
                conns[i] = await Conn.open(url.hostname, Number(url.port), API_PATH);
                conn = conns[i] as Conn;
                if (attempt === 1) problems.push(`connection lost twice: ${(error as Error).message}`);
              }
            }
            if (!reply) continue;
            if (reply.status >= 500) problems.push(`status ${reply.status} for ${c.body.slice(0, 120)}`);
            const code = answerCode(creds, reply.body, c.nonce).replace(/^plain:/, '');
            if (!isSpecCode(code)) problems.push(`answer code ${code} for ${c.body.slice(0, 120)}`);
          }
        }),
      );
      sent += batch.length;
      if (chunk === 1) {
        gc();
        heapWarm = process.memoryUsage().heapUsed;
      }
      if (problems.length > 20) break;
    }
    for (const conn of conns) conn.close();
    gc();
    const growth = process.memoryUsage().heapUsed - heapWarm;
    assert.deepEqual(problems.slice(0, 20), [], `seed ${SEED}`);
    if (heapWarm > 0) assert.ok(growth < HEAP_TOLERANCE_BYTES, `heap grew ${Math.round(growth / 1024)} KiB`);
    const health = await fetch(`${t.running.url}/health`);
    assert.equal(health.status, 200, 'the platform still serves');
    await t.assertLedger();
  });
});
