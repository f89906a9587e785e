import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type HisSim, startHisSim } from '../../his-sim/index.js';
import { HisUnavailableError, HttpDepositProvider } from './http-provider.js';
import { answerMacInput, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.js';
import type { PatientRef } from './types.js';

const KEY = 'test-his-key';
// Long enough for a loaded CI machine to answer a first request; the timeout tests wait this long once each.
const TIMEOUT_MS = 1_000;

function patient(n: number): PatientRef {
  return {
    appid: 'A1',
    cardType: '03',
    cardNo: `C${n}`,
    accountType: '01',
    hisCustId: `H${n}`,
    userName: '李四',
  };
}

let sim: HisSim;
let his: HttpDepositProvider;
let seq = 0;
/** Fresh trace numbers and patients per test, so tests never share state. */
const next = () => ++seq;

before(async () => {
  sim = await startHisSim({ key: KEY });
  his = new HttpDepositProvider({ baseUrl: sim.url, key: KEY, timeoutMs: TIMEOUT_MS });
});
after(() => sim.close());
beforeEach(() => sim.faults.clear());

describe('operations over HTTP', () => {
  test('credit opens the account, adds the amount and answers callsn and balance', async () => {
    const n = next();
    const first = await his.credit(`T${n}`, patient(n), 1230, 'HO1');
    assert.equal(first.state, 'ok', JSON.stringify(first));
    assert.ok(first.state === 'ok' && first.callsn.startsWith('HIS'));
    assert.deepEqual(first.state === 'ok' && first.balanceFen, 1230);
    const second = await his.credit(`T${n}b`, patient(n), 70);
    assert.equal(second.state === 'ok' && second.balanceFen, 1300);
  });

  test('accountInfo reads the account; an unknown patient is undefined', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 500);
    const account = await his.accountInfo(patient(n));
    assert.equal(account?.balanceFen, 500);
    assert.equal(account?.hisCustId, `H${n}`);
    assert.equal(account?.userName, '李四');
    assert.equal(await his.accountInfo(patient(next())), undefined);
  });

  test('direct refund debits the deposit', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    const refund = await his.refund(`R${n}`, patient(n), 400, `T${n}`);
    assert.equal(refund.state === 'ok' && refund.balanceFen, 600);
  });

  test('pre-refund holds, confirm(true) debits, confirm(false) releases', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    const held = await his.preRefund(`R${n}a`, patient(n), 700, `T${n}`);
    assert.equal(held.state === 'ok' && held.balanceFen, 1000);
    // The held 7.00 is not available to a second refund.
    const over = await his.refund(`R${n}x`, patient(n), 400, `T${n}`);
    assert.equal(over.state, 'fail');
    const confirmed = await his.confirmRefund(`R${n}a`, true);
    assert.equal(confirmed.state === 'ok' && confirmed.balanceFen, 300);

    await his.preRefund(`R${n}b`, patient(n), 300, `T${n}`);
    const released = await his.confirmRefund(`R${n}b`, false);
    assert.equal(released.state === 'ok' && released.balanceFen, 300);
    assert.equal((await his.refund(`R${n}c`, patient(n), 300, `T${n}`)).state, 'ok');
  });

  test('confirm(true) without a pre-refund fails and is not recorded', async () => {
    const n = next();
    const outcome = await his.confirmRefund(`R${n}`, true);
    assert.equal(outcome.state, 'fail');
    const status = await his.status(`R${n}`, 'confirmRefund');
    assert.equal(status.state === 'unknown' && status.notFound, true);
  });

  test('release before the pre-refund arrives fences the trace', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    assert.equal((await his.confirmRefund(`R${n}`, false)).state, 'ok');
    const late = await his.preRefund(`R${n}`, patient(n), 500, `T${n}`);
    assert.equal(late.state, 'fail');
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 1000);
  });
});

describe('idempotency on the trace number', () => {
  test('the same credit twice applies once and answers the same', async () => {
    const n = next();
    const a = await his.credit(`T${n}`, patient(n), 500);
    const b = await his.credit(`T${n}`, patient(n), 500);
    assert.deepEqual(a, b);
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 500);
  });

  test('the same refund, pre-refund and confirm twice apply once', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    await his.refund(`R${n}`, patient(n), 100, `T${n}`);
    await his.refund(`R${n}`, patient(n), 100, `T${n}`);
    await his.preRefund(`P${n}`, patient(n), 200, `T${n}`);
    await his.preRefund(`P${n}`, patient(n), 200, `T${n}`);
    await his.confirmRefund(`P${n}`, true);
    await his.confirmRefund(`P${n}`, true);
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 700);
  });

  test('a trace reused with other parameters is unknown, never applied', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 500);
    const reused = await his.credit(`T${n}`, patient(n), 900);
    assert.equal(reused.state, 'unknown');
    await his.preRefund(`P${n}`, patient(n), 100, `T${n}`);
    await his.confirmRefund(`P${n}`, true);
    assert.equal((await his.confirmRefund(`P${n}`, false)).state, 'unknown');
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 400);
  });
});

describe('balances never go below zero', () => {
  test('a refund beyond the balance fails and changes nothing', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 100);
    const outcome = await his.refund(`R${n}`, patient(n), 101, `T${n}`);
    assert.equal(outcome.state, 'fail');
    assert.match(outcome.state === 'fail' ? outcome.message : '', /余额不足/);
    assert.equal((await his.preRefund(`P${n}`, patient(n), 101, `T${n}`)).state, 'fail');
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 100);
  });

  test('concurrent refunds of one balance: exactly those that fit succeed', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) => his.refund(`R${n}-${i}`, patient(n), 100, `T${n}`)),
    );
    assert.equal(outcomes.filter((o) => o.state === 'ok').length, 10);
    assert.equal(outcomes.filter((o) => o.state === 'fail').length, 15);
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 0);
  });

  test('a refund to an unknown patient fails', async () => {
    const n = next();
    assert.equal((await his.refund(`R${n}`, patient(n), 1, 'T0')).state, 'fail');
  });
});

describe('faults map to the right outcome', () => {
  test("'fail' → fail, recorded: status says fail", async () => {
    const n = next();
    sim.faults.set('credit', 'fail', { times: 1 });
    assert.equal((await his.credit(`T${n}`, patient(n), 100)).state, 'fail');
    assert.equal((await his.status(`T${n}`, 'credit')).state, 'fail');
    assert.equal((await his.credit(`T${n}`, patient(n), 100)).state, 'fail');
    assert.equal(await his.accountInfo(patient(n)), undefined);
  });

  test("'timeout' not applied → unknown; status 404 (notFound); re-send with the same trace applies once", async () => {
    const n = next();
    sim.faults.set('credit', 'timeout', { times: 1, applied: false });
    const started = Date.now();
    const lost = await his.credit(`T${n}`, patient(n), 100);
    assert.equal(lost.state, 'unknown');
    assert.ok(Date.now() - started < TIMEOUT_MS + 1000, 'the client timeout bounds the wait');
    const status = await his.status(`T${n}`, 'credit');
    assert.equal(status.state, 'unknown');
    assert.equal(status.state === 'unknown' && status.notFound, true);
    assert.equal((await his.credit(`T${n}`, patient(n), 100)).state, 'ok');
    assert.equal((await his.credit(`T${n}`, patient(n), 100)).state, 'ok');
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 100);
  });

  test("'timeout' applied → unknown; status says ok with the same callsn", async () => {
    const n = next();
    sim.faults.set('credit', 'timeout', { times: 1, applied: true });
    assert.equal((await his.credit(`T${n}`, patient(n), 100)).state, 'unknown');
    const status = await his.status(`T${n}`, 'credit');
    assert.equal(status.state, 'ok');
    const resent = await his.credit(`T${n}`, patient(n), 100);
    assert.deepEqual(resent, status);
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 100);
  });

  for (const reply of ['http500', 'garbage', 'reset'] as const) {
    for (const applied of [true, false]) {
      test(`'unknown' (${reply}, applied ${applied}) → unknown; status tells the truth`, async () => {
        const n = next();
        await his.credit(`T${n}`, patient(n), 1000);
        sim.faults.set('refund', 'unknown', { times: 1, applied, reply });
        assert.equal((await his.refund(`R${n}`, patient(n), 300, `T${n}`)).state, 'unknown');
        const status = await his.status(`R${n}`, 'refund');
        if (applied) assert.equal(status.state, 'ok');
        else assert.equal(status.state === 'unknown' && status.notFound, true);
        assert.equal((await his.accountInfo(patient(n)))?.balanceFen, applied ? 700 : 1000);
      });
    }
  }

  test("'fail-after-apply' → fail (the HIS lies); status reveals ok", async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    sim.faults.set('preRefund', 'fail-after-apply', { times: 1 });
    assert.equal((await his.preRefund(`P${n}`, patient(n), 300, `T${n}`)).state, 'fail');
    assert.equal((await his.status(`P${n}`, 'preRefund')).state, 'ok');
  });

  test('confirm faults: applied-then-lost confirm is ok on status and on re-send', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 1000);
    await his.preRefund(`P${n}`, patient(n), 300, `T${n}`);
    sim.faults.set('confirmRefund', 'unknown', { times: 1, applied: true, reply: 'reset' });
    assert.equal((await his.confirmRefund(`P${n}`, true)).state, 'unknown');
    assert.equal((await his.status(`P${n}`, 'confirmRefund')).state, 'ok');
    assert.equal((await his.confirmRefund(`P${n}`, true)).state, 'ok');
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 700);
  });

  test('status itself timing out is unknown without notFound', async () => {
    sim.faults.set('status', 'timeout', { times: 1 });
    const status = await his.status('nope', 'credit');
    assert.equal(status.state, 'unknown');
    assert.equal(status.state === 'unknown' && status.notFound, undefined);
  });

  test('accountInfo: a lost answer throws HisUnavailableError, a refusal is undefined', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 100);
    sim.faults.set('account', 'unknown', { times: 1 });
    await assert.rejects(his.accountInfo(patient(n)), HisUnavailableError);
    sim.faults.set('account', 'fail', { times: 1 });
    assert.equal(await his.accountInfo(patient(n)), undefined);
    assert.equal((await his.accountInfo(patient(n)))?.balanceFen, 100);
  });

  test('times counts down, then the HIS behaves again', async () => {
    const n = next();
    sim.faults.set('credit', 'fail', { times: 2 });
    assert.equal((await his.credit(`T${n}a`, patient(n), 1)).state, 'fail');
    assert.equal((await his.credit(`T${n}b`, patient(n), 1)).state, 'fail');
    assert.equal((await his.credit(`T${n}c`, patient(n), 1)).state, 'ok');
  });
});

describe('signatures', () => {
  test('a wrong key is refused (fail: nothing applied)', async () => {
    const n = next();
    const wrong = new HttpDepositProvider({ baseUrl: sim.url, key: 'other', timeoutMs: TIMEOUT_MS });
    const outcome = await wrong.credit(`T${n}`, patient(n), 100);
    // The HIS refused our MAC, and its answer does not verify under our key either: not believed, unknown.
    assert.deepEqual(outcome, { state: 'unknown', message: 'HIS answer signature bad (HTTP 401)' });
    assert.equal(await his.accountInfo(patient(n)), undefined);
  });

  test('a stale timestamp is refused; inside the window it is accepted', async () => {
    const n = next();
    const skewed = (ms: number) =>
      new HttpDepositProvider({
        baseUrl: sim.url,
        key: KEY,
        timeoutMs: TIMEOUT_MS,
        clock: () => Date.now() + ms,
      });
    // Refused by the HIS as stale, and its answer is as far from our clock: unknown, never applied.
    assert.deepEqual(await skewed(-301_000).credit(`T${n}`, patient(n), 100), {
      state: 'unknown',
      message: 'HIS answer signature stale (HTTP 401)',
    });
    assert.equal((await skewed(301_000).credit(`T${n}`, patient(n), 100)).state, 'unknown');
    assert.equal((await skewed(-290_000).credit(`T${n}`, patient(n), 100)).state, 'ok');
  });

  test('accountInfo with a wrong key throws instead of answering "no such account"', async () => {
    const n = next();
    await his.credit(`T${n}`, patient(n), 100);
    const wrong = new HttpDepositProvider({ baseUrl: sim.url, key: 'other', timeoutMs: TIMEOUT_MS });
    await assert.rejects(wrong.accountInfo(patient(n)), HisUnavailableError);
  });

  test('an unsigned request is refused', async () => {
    const response = await fetch(`${sim.url}/credit`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { code: '1', msg: 'signature missing' });
  });
});

describe('transport edges', () => {
  test('connection refused is fail (nothing was sent)', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const down = new HttpDepositProvider({
      baseUrl: `http://127.0.0.1:${port}`,
      key: KEY,
      timeoutMs: TIMEOUT_MS,
    });
    const outcome = await down.credit('T-refused', patient(1), 100);
    assert.equal(outcome.state, 'fail');
    assert.match(outcome.state === 'fail' ? outcome.message : '', /ECONNREFUSED/);
  });

  test('a 2xx JSON answer without code 0/1, a JSON array and an oversized body are unknown', async () => {
    const fake = (body: string, status = 200) => signedFake(body, status);
    assert.equal((await fake('{"code":"7"}').credit('T', patient(1), 1)).state, 'unknown');
    assert.equal((await fake('[]').credit('T', patient(1), 1)).state, 'unknown');
    assert.equal((await fake('x'.repeat(70_000)).credit('T', patient(1), 1)).state, 'unknown');
    assert.equal((await fake('{"code":"0"}', 502).credit('T', patient(1), 1)).state, 'unknown');
    assert.deepEqual(await fake('{"code":"0","callsn":"S1","balance":"1.00"}').credit('T', patient(1), 1), {
      state: 'ok',
      callsn: 'S1',
      balanceFen: 100,
    });
  });

  test('an answer is believed only when the HIS signed it, for this request, now', async () => {
    const ok = '{"code":"0","callsn":"S1","balance":"1.00"}';
    assert.equal((await signedFake(ok, 200, { sign: 'none' }).credit('T', patient(1), 1)).state, 'unknown');
    assert.equal(
      (await signedFake(ok, 200, { sign: 'wrong-key' }).credit('T', patient(1), 1)).state,
      'unknown',
    );
    assert.equal(
      (await signedFake(ok, 200, { sign: 'other-request' }).credit('T', patient(1), 1)).state,
      'unknown',
    );
    assert.equal((await signedFake(ok, 200, { sign: 'stale' }).credit('T', patient(1), 1)).state, 'unknown');
    // A refusal is no more believed unsigned than a success: unknown, never "fail" (which would give money back).
    assert.equal(
      (await signedFake('{"code":"1","msg":"no"}', 200, { sign: 'none' }).refund('R', patient(1), 1, 'T'))
        .state,
      'unknown',
    );
    assert.equal((await signedFake(ok).credit('T', patient(1), 1)).state, 'ok');
    await assert.rejects(signedFake(ok, 200, { sign: 'none' }).accountInfo(patient(1)), HisUnavailableError);
  });

  test('plain http is refused for an HIS off this host unless the app allows it', () => {
    assert.throws(() => new HttpDepositProvider({ baseUrl: 'http://his.example:8080', key: KEY }), /https/);
    assert.ok(
      new HttpDepositProvider({ baseUrl: 'http://his.example:8080', key: KEY, allowInsecureHttp: true }),
    );
    assert.ok(new HttpDepositProvider({ baseUrl: 'http://127.0.0.1:1302', key: KEY }));
    assert.ok(new HttpDepositProvider({ baseUrl: 'https://his.example', key: KEY }));
  });

  test('amounts must be positive integer fen; construction bounds the timeout', async () => {
    await assert.rejects(his.credit('T', patient(1), 0), RangeError);
    await assert.rejects(his.credit('T', patient(1), 1.5), RangeError);
    assert.throws(() => new HttpDepositProvider({ baseUrl: sim.url, key: KEY, timeoutMs: 0 }), RangeError);
    assert.throws(() => new HttpDepositProvider({ baseUrl: 'ftp://x', key: KEY }), TypeError);
  });
});

/** An HIS answering `body`, signed as docs/his-api.md says, or signed wrongly on purpose. */
function signedFake(
  body: string,
  status = 200,
  options: { sign?: 'ok' | 'none' | 'wrong-key' | 'other-request' | 'stale' } = {},
): HttpDepositProvider {
  const sign = options.sign ?? 'ok';
  return new HttpDepositProvider({
    baseUrl: 'https://his.invalid',
    key: KEY,
    fetch: async (_url, init) => {
      const headers = new Headers(init?.headers);
      const requestSignature =
        sign === 'other-request' ? 'f'.repeat(64) : (headers.get(SIGNATURE_HEADER) ?? '');
      const ts = Math.floor(Date.now() / 1000) - (sign === 'stale' ? 301 : 0);
      const key = sign === 'wrong-key' ? 'not-the-key' : KEY;
      const answerHeaders: Record<string, string> =
        sign === 'none'
          ? {}
          : {
              [TIMESTAMP_HEADER]: String(ts),
              [SIGNATURE_HEADER]: signBody(key, ts, answerMacInput(requestSignature, body)),
            };
      return new Response(body, { status, headers: answerHeaders });
    },
  });
}
