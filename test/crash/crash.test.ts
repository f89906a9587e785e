/**
 * Crash test: desks recharge and refund concurrently while the platform
 * process is killed with SIGKILL at random moments and restarted on the same
 * database, again and again; then verify.ts checks durability, idempotency,
 * recovery and the journal. Short by default (inside npm test); the long
 * form: ONEPAY_CRASH_ROUNDS=40 ONEPAY_CRASH_DESKS=8 (npm run test:crash).
 * Replay a run with ONEPAY_CRASH_SEED=<the seed it printed>.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnPlatform } from '../../bench/lib/spawn.js';
import { PayClient } from '../../src/client/index.js';
import { API_PATH } from '../../src/platform/http.js';
import { openStore } from '../../src/platform/store/index.js';
import { databaseAvailability, POSTGRES_URL, TEST_DATABASES } from '../../src/testing/databases.js';
import { healthPid } from '../../src/testing/health.js';
import { type Attempt, desk, prng } from './traffic.js';
import { verifyAfterCrashes } from './verify.js';

const ROUNDS = Number(process.env['ONEPAY_CRASH_ROUNDS'] ?? '2');
const DESKS = Number(process.env['ONEPAY_CRASH_DESKS'] ?? '4');
const SEED = Number(process.env['ONEPAY_CRASH_SEED'] ?? randomBytes(4).readUInt32LE(0));
/** Requests per desk: bounds a run even if the platform never went down. */
const MAX_OPS_PER_DESK = 100_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Each engine with one platform process, and PostgreSQL with two
 * (src/server/workers.ts): there most kills take one worker while the other
 * goes on serving and the primary replaces it, and some take the whole group.
 */
const SETUPS = [
  ...TEST_DATABASES.map((database) => ({ database, processes: 1 })),
  ...TEST_DATABASES.filter((d) => d.name === 'postgres').map((database) => ({ database, processes: 2 })),
];

/** SIGKILL to one worker, the one that answered /health; false when none answered. */
async function killOneWorker(url: string): Promise<boolean> {
  const pid = await healthPid(url);
  if (pid === undefined) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

for (const { database, processes } of SETUPS) {
  const name = processes > 1 ? `${database.name}, ${processes} processes` : database.name;
  describe(`crash: SIGKILL under load on ${name}`, async () => {
    const availability = await databaseAvailability(database);
    it(`${ROUNDS} kills, ${DESKS} desks, seed ${SEED}`, {
      ...availability,
      timeout: 120_000 + ROUNDS * 15_000,
    }, async () => {
      const random = prng(SEED);
      const dataDir = mkdtempSync(join(tmpdir(), 'onepay-crash-'));
      const shared = await database.shared();
      const db = database.name === 'postgres' ? POSTGRES_URL : shared.url;
      const appid = `crash${randomBytes(3).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      const port = await freePort();
      const config = {
        db,
        dataDir,
        port,
        devApps: [`${appid}:${secret}`],
        ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
        settings: { refundMinIntervalMs: 0 },
        ...(processes > 1 ? { workers: processes } : {}),
      };
      const client = new PayClient({
        serveraddr: `http://127.0.0.1:${port}${API_PATH}`,
        appid,
        appsecret: secret,
        connectTimeoutMs: 1_000,
        answerTimeoutMs: 5_000,
      });
      const attempts: Attempt[] = [];
      const problems: string[] = [];
      let stopping = false;
      let cutOff = 0;
      let heard = 0;
      let workerKills = 0;
      const started = Date.now();
      let platform = await spawnPlatform(config);
      const desks = Array.from({ length: DESKS }, (_, c) =>
        desk(
          c,
          () => client,
          prng(SEED + c + 1),
          attempts,
          problems,
          () => stopping,
          MAX_OPS_PER_DESK,
        ),
      );
      try {
        for (let round = 0; round < ROUNDS; round++) {
          await new Promise((r) => setTimeout(r, 300 + random() * 1_200));
          if (processes > 1 && random() < 0.7 && (await killOneWorker(platform.url))) {
            workerKills++;
            continue;
          }
          await platform.kill();
          await new Promise((r) => setTimeout(r, random() * 100));
          platform = await spawnPlatform(config);
        }
        await new Promise((r) => setTimeout(r, 200));
        stopping = true;
        await Promise.all(desks);
        await platform.kill();
        // The last start sweeps at once: nothing in flight is left to race.
        platform = await spawnPlatform({
          ...config,
          settings: { refundMinIntervalMs: 0, sweepGraceMs: 0, sweepIntervalMs: 200 },
        });
        cutOff = attempts.filter(
          (a) => a.answer === undefined || a.answer.respCode === '-3' || a.answer.respCode === '-28',
        ).length;
        heard = attempts.filter((a) => a.answer?.respCode === '000000').length;
        const store = await openStore(db, shared.pgSchema ? { pgSchema: shared.pgSchema } : {});
        try {
          problems.push(...(await verifyAfterCrashes(store, appid, attempts, client)));
        } finally {
          await store.close();
        }
      } finally {
        stopping = true;
        await platform.stop();
        await shared.dropSchema();
      }
      console.log(
        `crash ${name} seed ${SEED}: ${attempts.length} requests, ${heard} answered 000000, ` +
          (processes > 1 ? `${workerKills} of ${ROUNDS} kills took one worker, ` : '') +
          `${cutOff} cut off mid-call by kills, ${Date.now() - started} ms`,
      );
      assert.ok(heard > 0, 'no request succeeded: the test exercised nothing');
      assert.deepEqual(problems, [], `seed ${SEED}`);
    });
  });
}
