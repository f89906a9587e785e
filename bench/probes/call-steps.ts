/**
 * Where one query's CPU goes, part by part: the steps of handleApiCall run
 * one after another, in-process on SQLite, one call at a time, each timed.
 * Two rounds of `count` calls; the second is printed (the first warms up).
 * Used for docs/benchmarks.md.
 *
 *   node --import tsx bench/probes/call-steps.ts [count]
 */
import { performance } from 'node:perf_hooks';
import { handleApiCall } from '../../src/platform/gateway/api.js';
import { dispatch } from '../../src/platform/gateway/dispatch.js';
import { claimNonce } from '../../src/platform/gateway/nonces.js';
import { openEnvelope, parseEnvelope, sealResponse } from '../../src/protocol/envelope/index.js';
import { validatePindata } from '../../src/protocol/validate.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { pindata, seal } from '../lib/requests.js';

const count = Number(process.argv[2] ?? 20_000);
const ORDERS = 300;

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no sqlite');
const t = await startTestPlatform(sqlite, { suite: 'AES' });
const platform = t.running.platform;
const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
for (let n = 0; n < ORDERS; n++)
  await handleApiCall(platform, seal(creds, pindata('recharge', 'P', n)).body.toString());
const app = await platform.apps.find(t.appid);
if (!app) throw new Error('no app');

const spent = new Map<string, number>();
let clock = 0;
const lap = (step: string) => {
  const now = performance.now();
  spent.set(step, (spent.get(step) ?? 0) + now - clock);
  clock = now;
};
function fail(what: string): never {
  throw new Error(`${what} failed`);
}

for (let round = 0; round < 2; round++) {
  spent.clear();
  // Sealed before timing: the client's work is not the platform's.
  const bodies = Array.from({ length: count }, (_, n) =>
    seal(creds, pindata('query', 'P', n % ORDERS)).body.toString(),
  );
  for (const body of bodies) {
    clock = performance.now();
    const parsed = parseEnvelope(body);
    if (!parsed.ok) fail('parse');
    lap('parse envelope');
    const keys = platform.apps.keysFor(app, parsed.env.suite);
    lap('app keys');
    const opened = openEnvelope(parsed.env, keys, { direction: 'req', now: platform.clock() / 1000 });
    if (!opened.ok) fail('open');
    lap('open envelope');
    if (!(await claimNonce(platform.store, app.appid, parsed.env.nonce, Number(parsed.env.ts))))
      fail('claim');
    lap('nonce claim');
    const checked = validatePindata(opened.plaintext);
    if (!checked.ok) fail('validate');
    lap('validate pindata');
    const answer = await dispatch(
      { app, platform, transType: checked.transType, now: platform.clock() },
      checked,
    );
    lap('query handler (lookup, answer)');
    const plaintext = JSON.stringify(answer);
    lap('stringify answer');
    const sealed = sealResponse({
      appid: app.appid,
      suite: 'AES',
      keys,
      plaintext,
      reqNonce: parsed.env.nonce,
    });
    lap('seal answer');
    JSON.stringify(sealed);
    lap('stringify envelope');
  }
}
let total = 0;
for (const [step, ms] of spent) {
  total += ms;
  console.log(`${((ms / count) * 1000).toFixed(1).padStart(7)} µs  ${step}`);
}
console.log(`${((total / count) * 1000).toFixed(1).padStart(7)} µs  in all`);
await t.close();
