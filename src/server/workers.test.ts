import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PayClient } from '../client/index.js';
import { API_PATH } from '../platform/http.js';
import { createLogger } from '../platform/log/logger.js';
import { databaseAvailability, POSTGRES_URL, TEST_DATABASES } from '../testing/databases.js';
import { healthPid } from '../testing/health.js';
import { cashRecharge, OPERATOR } from '../testing/params.js';
import { serveWithWorkers } from './workers.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no postgres in TEST_DATABASES');

async function pidsAnswering(url: string, calls: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < calls; i++) {
    const pid = await healthPid(url);
    if (pid !== undefined) pids.add(pid);
  }
  return pids;
}

/** GET /metrics on a fresh connection, so the cluster may hand it to any worker. */
function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/metrics`, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode} ${body}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end();
  });
}

describe('several platform processes on one port (PostgreSQL)', async () => {
  const availability = await databaseAvailability(postgres);
  const appid = `wk${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  let child: ChildProcess;
  let url: string;
  let shared: Awaited<ReturnType<typeof postgres.shared>>;
  before(async () => {
    if (availability.skip) return;
    shared = await postgres.shared();
    const options = {
      port: 0,
      db: POSTGRES_URL,
      dataDir: mkdtempSync(join(tmpdir(), 'onepay-workers-')),
      devApps: [`${appid}:${secret}`],
      logLevel: 'warn',
      ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
    };
    const workers = fileURLToPath(new URL('./workers.ts', import.meta.url));
    const logger = fileURLToPath(new URL('../platform/log/logger.ts', import.meta.url));
    // The primary in its own process, as `onepay serve --workers 2` runs it.
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { serveWithWorkers } = await import(${JSON.stringify(workers)});
         const { createLogger } = await import(${JSON.stringify(logger)});
         const w = await serveWithWorkers(${JSON.stringify(options)}, 2, createLogger({ level: 'warn' }));
         console.log(JSON.stringify({ url: w.url }));
         process.once('SIGTERM', () => w.close().then(() => process.exit(0)));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`workers did not start: ${out}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`primary exited with ${code}: ${out}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /\{"url":"([^"]+)"\}/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await shared?.dropSchema();
  });

  const client = () => new PayClient({ serveraddr: `${url}${API_PATH}`, appid, appsecret: secret });

  it('both workers answer, and money moved through one is seen through the other', availability, async () => {
    const pids = await pidsAnswering(url, 40);
    assert.equal(pids.size, 2, `pids answering: ${[...pids].join(',')}`);
    assert.ok(!pids.has(child.pid as number), 'the primary serves nothing itself');
    for (let n = 0; n < 10; n++) {
      const paid = await client().recharge(cashRecharge('WK1', `WK-${n}`, '1.50'));
      assert.equal(paid.respCode, '000000', paid.respMsg);
    }
    const again = await client().recharge(cashRecharge('WK1', 'WK-3', '1.50'));
    assert.equal(again.respCode, '000000', 'a replay through any worker gets the stored answer');
    const info = await client().accountInfo({
      ...OPERATOR,
      cardType: '03',
      cardNo: 'WK1',
      accountType: '01',
    });
    assert.equal(info.respCode, '000000', info.respMsg);
    const balance = (info['param'] as Record<string, unknown>)['balance'];
    assert.equal(balance, '15.00', 'ten recharges of 1.50, the replay not counted');
  });

  it(
    'every scrape of /metrics, whichever worker takes it, counts the calls of all',
    availability,
    async () => {
      const line = /^onepay_calls_total\{trans_type="hop\.trade\.recharge",resp_code="000000"\} (\d+)$/m;
      const seen: number[] = [];
      for (let n = 0; n < 8; n++) seen.push(Number(line.exec(await scrape(url))?.[1] ?? 0));
      // Ten recharges and one replay, answered by whichever workers took them.
      assert.deepEqual(seen, Array(8).fill(11));
    },
  );

  it('a worker killed is replaced, and the platform keeps answering', availability, async () => {
    const before = await pidsAnswering(url, 30);
    const victim = [...before][0] as number;
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    let now = new Set<number>();
    while (Date.now() < deadline) {
      now = await pidsAnswering(url, 20);
      if (now.size === 2 && !now.has(victim)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(!now.has(victim), 'the killed worker answers no more');
    assert.equal(now.size, 2, `a replacement answers: ${[...now].join(',')}`);
  });

  it('SIGTERM to the primary stops every worker and exits 0', availability, async () => {
    const pids = await pidsAnswering(url, 30);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), 'worker gone');
  });
});

describe('several platform processes on SQLite', () => {
  it('is refused before anything starts: one process serves a SQLite file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-workers-'));
    await assert.rejects(
      serveWithWorkers(
        { db: `sqlite:${join(dataDir, 'x.db')}`, dataDir },
        2,
        createLogger({ level: 'silent' }),
      ),
      /--workers needs PostgreSQL/,
    );
  });
});
