import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runHisSimCli } from '../cli/his-sim.js';
import { HttpDepositProvider } from '../platform/his/http-provider.js';
import { signBody, verifySignature } from '../platform/his/signature.js';
import type { PatientRef } from '../platform/his/types.js';
import { type HisSim, type SimSnapshot, startHisSim } from './index.js';

const KEY = 'sim-key';
const alice: PatientRef = { appid: 'A1', cardType: '03', cardNo: 'C1', accountType: '01', hisCustId: 'H1' };

/** What /_state and /_faults answer (the fields these tests read). */
type ControlJson = SimSnapshot & { faults: Record<string, { mode: string; remaining: number | null }> };

async function control(
  sim: HisSim,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: ControlJson }> {
  const response = await fetch(`${sim.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as ControlJson };
}

describe('control API (how a test in another process drives the sim)', () => {
  let sim: HisSim;
  let his: HttpDepositProvider;
  before(async () => {
    sim = await startHisSim({ key: KEY });
    his = new HttpDepositProvider({ baseUrl: sim.url, key: KEY, timeoutMs: 300 });
  });
  after(() => sim.close());

  test('POST /_reset seeds accounts; GET /_state shows accounts, records, reservations and faults', async () => {
    const reset = await control(sim, '/_reset', {
      accounts: [{ ...alice, balanceFen: 5000, userName: '张三', idNo: '110101199001011234' }],
    });
    assert.equal(reset.status, 200);
    assert.equal((await his.accountInfo(alice))?.balanceFen, 5000);
    await his.preRefund('P1', alice, 1000, 'T0');
    const { json } = await control(sim, '/_state');
    assert.equal(json.accounts[0]?.balanceFen, 5000);
    assert.equal(json.accounts[0]?.reservedFen, 1000);
    assert.equal(json.records[0]?.operation, 'preRefund');
    assert.equal(json.reservations[0]?.state, 'reserved');
    assert.deepEqual(json.faults, {});
  });

  test('POST /_faults sets a counted fault; mode none clears it', async () => {
    const set = await control(sim, '/_faults', {
      operation: 'refund',
      mode: 'timeout',
      times: 1,
      applied: true,
    });
    assert.equal(set.status, 200);
    assert.equal(set.json.faults['refund']?.mode, 'timeout');
    assert.equal(set.json.faults['refund']?.remaining, 1);
    assert.equal((await his.refund('R1', alice, 100, 'T0')).state, 'unknown');
    assert.equal((await his.status('R1', 'refund')).state, 'ok');

    await control(sim, '/_faults', { operation: 'credit', mode: 'fail' });
    assert.equal((await control(sim, '/_state')).json.faults['credit']?.remaining, null);
    assert.equal((await his.credit('T1', alice, 1)).state, 'fail');
    assert.equal((await his.credit('T2', alice, 1)).state, 'fail');
    await control(sim, '/_faults', { operation: 'credit', mode: 'none' });
    assert.equal((await his.credit('T3', alice, 1)).state, 'ok');
  });

  test('POST /_faults refuses modes that would make the sim lie about its records', async () => {
    assert.equal((await control(sim, '/_faults', { operation: 'status', mode: 'fail' })).status, 400);
    assert.equal((await control(sim, '/_faults', { operation: 'nope', mode: 'fail' })).status, 400);
    assert.equal((await control(sim, '/_faults', { operation: 'toString', mode: 'fail' })).status, 400);
    assert.equal((await control(sim, '/_faults', { operation: 'toString', mode: 'none' })).status, 400);
    assert.equal((await control(sim, '/_faults', { operation: 'credit', mode: 'explode' })).status, 400);
    assert.equal(
      (await control(sim, '/_faults', { operation: 'credit', mode: 'fail', times: 0 })).status,
      400,
    );
  });

  test('POST /_accounts upserts one account; balances below zero are refused', async () => {
    const bob = { ...alice, cardNo: 'C2', hisCustId: 'H2' };
    assert.equal((await control(sim, '/_accounts', { ...bob, balanceFen: 42 })).status, 200);
    assert.equal((await his.accountInfo(bob))?.balanceFen, 42);
    assert.equal((await control(sim, '/_accounts', { ...bob, balanceFen: -1 })).status, 400);
  });

  test('a card that does not belong to the account is refused', async () => {
    const outcome = await his.credit('T-card', { ...alice, cardNo: 'OTHER' }, 100);
    assert.deepEqual(outcome, { state: 'fail', message: '卡号与患者不符' });
  });
});

describe('file-backed state', () => {
  test('records and balances survive a restart, so idempotency does too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'his-sim-'));
    try {
      const file = join(dir, 'his.json');
      const first = await startHisSim({ key: KEY, file });
      const his1 = new HttpDepositProvider({ baseUrl: first.url, key: KEY });
      const credited = await his1.credit('T1', alice, 700);
      await first.close();

      const second = await startHisSim({ key: KEY, file });
      const his2 = new HttpDepositProvider({ baseUrl: second.url, key: KEY });
      assert.deepEqual(await his2.credit('T1', alice, 700), credited);
      assert.equal((await his2.accountInfo(alice))?.balanceFen, 700);
      const again = await his2.credit('T2', alice, 1);
      assert.ok(again.state === 'ok' && credited.state === 'ok' && again.callsn > credited.callsn);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('autoOpen false refuses a credit to an unknown patient', async () => {
    const sim = await startHisSim({ key: KEY, autoOpen: false });
    try {
      const his = new HttpDepositProvider({ baseUrl: sim.url, key: KEY });
      assert.equal((await his.credit('T1', alice, 1)).state, 'fail');
    } finally {
      await sim.close();
    }
  });

  test('close() does not wait for held (timeout) requests', async () => {
    const sim = await startHisSim({ key: KEY });
    sim.faults.set('credit', 'timeout', { hangMs: 60_000, applied: true });
    const his = new HttpDepositProvider({ baseUrl: sim.url, key: KEY, timeoutMs: 5_000 });
    const pending = his.credit('T1', alice, 1);
    // Applied means the request is being held now; a fixed sleep could close before it arrives.
    for (let i = 0; i < 200 && !sim.state.recorded('credit', 'T1'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(sim.state.recorded('credit', 'T1'));
    const started = Date.now();
    await sim.close();
    assert.ok(Date.now() - started < 1_000);
    assert.equal((await pending).state, 'unknown');
  });
});

describe('signature', () => {
  const body = '{"traceNo":"T1"}';
  const ts = 1_700_000_000;
  const check = (over: Partial<Parameters<typeof verifySignature>[0]>) =>
    verifySignature({
      key: KEY,
      body,
      timestamp: String(ts),
      signature: signBody(KEY, ts, body),
      nowS: ts,
      ...over,
    });

  test('the worked example of docs/his-api.md', () => {
    const example =
      '{"traceNo":"20240501120000000001","appid":"A1","cardType":"03","cardNo":"C1","accountType":"01","hisCustId":"H1","amount":"12.30"}';
    assert.equal(
      signBody('demo-his-key', 1714536000, example),
      'c40ec3abe6aed4fc4fc61d10de411fd0dcf8b3d2c718fbc16eb0ab3e2c9a96ca',
    );
  });

  test('accepts its own signature inside the window, either hex case', () => {
    assert.equal(check({}), 'ok');
    assert.equal(check({ signature: signBody(KEY, ts, body).toUpperCase() }), 'ok');
    assert.equal(check({ nowS: ts + 300 }), 'ok');
  });

  test('refuses a changed body, key or timestamp, odd spellings and stale times', () => {
    assert.equal(check({ body: '{"traceNo":"T2"}' }), 'bad');
    assert.equal(check({ key: 'other' }), 'bad');
    assert.equal(check({ timestamp: String(ts + 1) }), 'bad');
    assert.equal(check({ timestamp: ` ${ts}` }), 'bad');
    assert.equal(check({ signature: 'abc' }), 'bad');
    assert.equal(check({ signature: undefined }), 'missing');
    assert.equal(check({ nowS: ts + 301 }), 'stale');
    assert.equal(check({ nowS: ts - 301 }), 'stale');
  });
});

describe('CLI', () => {
  test('refuses a missing key and a bad port', async () => {
    const saved = process.env['ONEPAY_HIS_KEY'];
    delete process.env['ONEPAY_HIS_KEY'];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      assert.equal(await runHisSimCli(['--port', '0']), 2);
      assert.equal(await runHisSimCli(['--port', '70000', '--key', 'k']), 2);
      assert.equal(await runHisSimCli(['--bogus']), 2);
    } finally {
      console.error = original;
      if (saved !== undefined) process.env['ONEPAY_HIS_KEY'] = saved;
    }
    assert.equal(errors.length, 3);
  });

  test('serves in its own process until signalled', async () => {
    const cli = fileURLToPath(new URL('../cli/his-sim.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(cli)}).then((m) => m.runHisSimCli(['--port', '0', '--key', 'k']))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (\S+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const his = new HttpDepositProvider({ baseUrl: url, key: 'k' });
      assert.equal((await his.credit('T1', alice, 100)).state, 'ok');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
