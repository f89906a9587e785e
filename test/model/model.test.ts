/**
 * Model test: random interleavings of cash recharge, close, cash refund,
 * query and retries against model.ts, on SQLite, on PostgreSQL, and with two
 * platform processes sharing one PostgreSQL schema (and the master key).
 * Seeded and replayable: ONEPAY_MODEL_SEED=<seed> (fast-check prints seed
 * and path of a failure); more runs with ONEPAY_MODEL_RUNS.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type ServerProcess, spawnPlatform } from '../../bench/lib/spawn.js';
import { PayClient } from '../../src/client/index.js';
import { API_PATH } from '../../src/platform/http.js';
import { ledgerViolations } from '../../src/platform/ledger/journal.js';
import { openStore } from '../../src/platform/store/index.js';
import type { Answer } from '../../src/protocol/codes.js';
import {
  databaseAvailability,
  POSTGRES_URL,
  TEST_DATABASES,
  type TestDatabase,
} from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { card, Model, type Op, opArb, request, type Sent } from './model.js';

const RUNS = Number(process.env['ONEPAY_MODEL_RUNS'] ?? '15');
const SEED = Number(process.env['ONEPAY_MODEL_SEED'] ?? randomBytes(4).readInt32LE(0));

interface Target {
  readonly clients: PayClient[];
  /** Error lines the platform processes logged: shown with a failure. */
  errors(): string[];
  ledger(): Promise<string[]>;
  close(): Promise<void>;
}

function send(client: PayClient, sent: Sent): Promise<Answer> {
  if (sent.transType === 'recharge') return client.recharge(sent.param);
  if (sent.transType === 'close') return client.rechargeClose(sent.param);
  if (sent.transType === 'refund') return client.refund(sent.param);
  return client.query(sent.param);
}

async function inProcess(database: TestDatabase): Promise<Target> {
  const t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
  return {
    clients: [t.client],
    errors: () => [],
    ledger: () => ledgerViolations(t.running.platform.store.db),
    close: () => t.close(),
  };
}

async function twoProcesses(database: TestDatabase): Promise<Target> {
  const shared = await database.shared();
  const appid = `model${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const env = { ONEPAY_MASTER_KEY: randomBytes(32).toString('hex') };
  const config = (n: number) => ({
    db: POSTGRES_URL,
    dataDir: mkdtempSync(join(tmpdir(), `onepay-model-${n}-`)),
    devApps: [`${appid}:${secret}`],
    ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
    settings: { refundMinIntervalMs: 0 },
  });
  // One after the other: both migrating one fresh schema at once is not what this test is about.
  const servers: ServerProcess[] = [await spawnPlatform(config(0), [], env)];
  servers.push(await spawnPlatform(config(1), [], env));
  const store = await openStore(POSTGRES_URL, shared.pgSchema ? { pgSchema: shared.pgSchema } : {});
  return {
    clients: servers.map(
      (s) => new PayClient({ serveraddr: `${s.url}${API_PATH}`, appid, appsecret: secret }),
    ),
    errors: () => servers.flatMap((s) => s.lines.filter((l) => l.includes('"level":50')).slice(-3)),
    ledger: () => ledgerViolations(store.db),
    async close() {
      await store.close();
      await Promise.all(servers.map((s) => s.stop()));
      await shared.dropSchema();
    },
  };
}

/** Runs one generated sequence on `target`; resolves to the first mismatch with the model, or null. */
async function play(target: Target, ops: readonly Op[]): Promise<string | null> {
  const run = randomBytes(4).toString('hex');
  const model = new Model();
  const history: { op: Exclude<Op, { t: 'again' | 'burst' }>; sent: Sent }[] = [];
  for (const [i, op] of ops.entries()) {
    let step: { op: Exclude<Op, { t: 'again' | 'burst' }>; sent: Sent } | undefined;
    let answer: Answer;
    if (op.t === 'again') {
      step = history[history.length - 1 - op.back];
      if (!step) continue;
      answer = await send(target.clients[op.via] as PayClient, step.sent);
    } else if (op.t === 'burst') {
      step = { op: { t: 'recharge', p: op.p, k: op.k, fen: op.fen, via: 0 }, sent: request(run, op) };
      const sent = step.sent;
      const answers = await Promise.all(target.clients.flatMap((c) => [send(c, sent), send(c, sent)]));
      answer = answers[0] as Answer;
      if (answers.some((a) => JSON.stringify(a) !== JSON.stringify(answer)))
        return `step ${i}: burst answers differ`;
    } else {
      step = { op, sent: request(run, op) };
      answer = await send(target.clients[op.via] as PayClient, step.sent);
    }
    history.push(step);
    const mismatch = model.check(step.op, step.sent, answer);
    if (mismatch) return `step ${i}: ${mismatch}`;
  }
  for (const [p, fen] of model.balances) {
    const info = await (target.clients[0] as PayClient).accountInfo(card(run, p));
    const balance = (info['param'] as Record<string, unknown> | undefined)?.['balance'];
    if (balance !== (fen / 100).toFixed(2)) return `patient ${p}: balance ${String(balance)}, model ${fen}`;
  }
  return null;
}

const setups: {
  name: string;
  database: TestDatabase;
  start: (d: TestDatabase) => Promise<Target>;
  n: number;
}[] = [];
for (const database of TEST_DATABASES) setups.push({ name: database.name, database, start: inProcess, n: 1 });
const pg = TEST_DATABASES.find((d) => d.name === 'postgres');
if (pg)
  setups.push({ name: 'two processes on one postgres schema', database: pg, start: twoProcesses, n: 2 });

for (const setup of setups) {
  describe(`model: ${setup.name}`, async () => {
    const availability = await databaseAvailability(setup.database);
    it(`${RUNS} random sequences agree with the model (seed ${SEED})`, {
      ...availability,
      timeout: 600_000,
    }, async () => {
      const target = await setup.start(setup.database);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(opArb(setup.n), { minLength: 1, maxLength: 40 }), async (ops) => {
            const mismatch = await play(target, ops);
            if (mismatch) throw new Error(`${mismatch}\n${target.errors().join('\n')}`);
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: false },
        );
        assert.deepEqual(await target.ledger(), []);
      } finally {
        await target.close();
      }
    });
  });
}
