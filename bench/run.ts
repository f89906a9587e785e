/**
 * The benchmark: the platform as a separate process driven by separate
 * load-generator processes with real sealed envelopes, and in the same run
 * the ceilings it is judged against (bare node:http, Fastify doing nothing,
 * raw SQLite commits, pgbench). Figures are reported as ratios to those
 * ceilings because the machine is shared and absolute numbers drift.
 *
 *   node --import tsx bench/run.ts [--quick] [--db sqlite|postgres://…]… [--cpu-prof DIR] [--no-docs]
 *     [--seed-orders N --seed-accounts M [--compare-empty]] [--screens N] [--workers-curve] [--tsx]
 *
 * The platform and the ceilings run compiled, as users run them (bench/lib/compiled.ts);
 * --tsx runs them from source.
 *
 * Issue 19's targets 5–7 are opt-in, each costing minutes: --compare-empty
 * runs every database empty and then seeded (target 5's ratio in one
 * invocation), --screens holds N desks' and N screens' live streams open
 * during an open loop (target 6), --workers-curve runs PostgreSQL with 1 to
 * the machine's cores platform processes (target 7).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore } from '../src/platform/store/index.js';
import { POSTGRES_URL, postgresProblem } from '../src/testing/databases.js';
import { CONNECTIONS_LEFT_TO_CALLS } from '../src/web/shared/sse.js';
import { runPgbench } from './ceilings/pgbench.js';
import { clientRoundTrip } from './lib/client-rtt.js';
import { compileServers } from './lib/compiled.js';
import {
  ceilingEnvelope,
  ceilingHttp,
  freshCredentials,
  type Numbering,
  openLoopRecharges,
  type PlatformFigures,
  platformPhases,
  type Shape,
} from './lib/phases.js';
import { type BenchResult, type DbRun, dropSchemaQuietly, writeResults } from './lib/report.js';
import { type ScreensFigures, screensHoldMs, screensPhase } from './lib/screens.js';
import { type SeedShape, seedStore, storageBytes } from './lib/seed.js';
import { sampleSizes } from './lib/sizes.js';
import { spawnPlatform, spawnServer } from './lib/spawn.js';
import { sqlFloor } from './lib/sql-floor.js';
import { sqliteCeiling } from './lib/sqlite-ceiling.js';
import { Workers } from './lib/workers.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string', multiple: true },
    'cpu-prof': { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    // For profiling iterations: the platform phases only, figures without ratios.
    'platform-only': { type: 'boolean', default: false },
    // Platform processes for PostgreSQL runs (src/server/workers.ts); SQLite always runs one.
    'platform-workers': { type: 'string', default: '1' },
    // Processes serving the envelope floor (ceilings/envelope-floor.ts); the table's is one, as SQLite's platform.
    'floor-processes': { type: 'string', default: '1' },
    // Issue 19 target 5: the platform measured on a database already holding this many (bench/seed.ts).
    'seed-orders': { type: 'string', default: '0' },
    'seed-accounts': { type: 'string', default: '0' },
    // Target 5: each database run empty, then seeded, in this invocation (the ratio needs both).
    'compare-empty': { type: 'boolean', default: false },
    // Target 6: desks and as many extension screens holding their live streams during an open loop.
    screens: { type: 'string', default: '0' },
    // Target 7: PostgreSQL runs with 1, 2, … up to the cores there are platform processes.
    'workers-curve': { type: 'boolean', default: false },
    // The platform and the ceilings from source through tsx instead of compiled (bench/lib/compiled.ts).
    tsx: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const shape: Shape = {
  connections: Number(values.connections),
  durationMs: quick ? 1_000 : 5_000,
  warmupMs: quick ? 300 : 1_500,
  openRatePerS: 1_000,
  maxRatePerS: 20_000,
};
const dbs = values.db ?? ['sqlite'];
const compiled = values.tsx ? (tsFile: string) => tsFile : compileServers();
const here = (p: string) => compiled(fileURLToPath(new URL(p, import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'onepay-bench-'));
const runTag = Date.now().toString(36).toUpperCase();
const sizes = sampleSizes();
const workers = await Workers.start(Number(values.workers), runTag);
const log = (text: string) => process.stderr.write(`${text}\n`);

async function measureCeilings(): Promise<BenchResult['ceilings']> {
  log(`ceilings (request ${sizes.requestBytes} B, answer ${sizes.answerBytes} B)…`);
  const sizeEnv = { BENCH_REPLY_BYTES: String(sizes.answerBytes) };
  const body = 'x'.repeat(sizes.requestBytes);
  const bare = await spawnServer(here('./ceilings/bare-http.ts'), sizeEnv);
  const bareHttp = await ceilingHttp(workers, bare, body, shape).finally(() => bare.stop());
  log(`  bare node:http ${bareHttp.perSecond}/s`);
  const fast = await spawnServer(here('./ceilings/fastify-noop.ts'), sizeEnv);
  const fastifyNoop = await ceilingHttp(workers, fast, body, shape).finally(() => fast.stop());
  log(`  fastify no-op  ${fastifyNoop.perSecond}/s`);
  const floorCreds = freshCredentials();
  const envelopeFloorProcesses = Number(values['floor-processes']);
  const floor = await spawnServer(here('./ceilings/envelope-floor.ts'), {
    BENCH_FLOOR_SECRET: floorCreds.secret,
    BENCH_FLOOR_PROCESSES: String(envelopeFloorProcesses),
  });
  const envelopeFloor = await ceilingEnvelope(workers, floor, floorCreds, shape).finally(() => floor.stop());
  log(
    `  envelope floor ${envelopeFloor.perSecond}/s (${envelopeFloorProcesses} process(es)) ${JSON.stringify(envelopeFloor.codes)}`,
  );
  const sqliteCommitsPerS = sqliteCeiling(tmp, quick ? 1_000 : 3_000);
  log(`  sqlite FULL    ${sqliteCommitsPerS} commits/s`);
  const sqlFloorOfRecharge = sqlFloor(quick ? 3_200 : 32_000);
  log(
    `  SQL floor      ${sqlFloorOfRecharge.wallUs} µs a recharge (commit ${sqlFloorOfRecharge.commitUs}, CPU ${sqlFloorOfRecharge.cpuUs})`,
  );
  const wantPg = dbs.some((d) => d.startsWith('postgres')) || (await postgresProblem()) === null;
  const pgUrl = dbs.find((d) => d.startsWith('postgres')) ?? POSTGRES_URL;
  const pgbench = wantPg ? await runPgbench(pgUrl, 10, quick ? 1 : 10, quick ? 1 : 10) : null;
  if (pgbench) log(`  pgbench TPC-B  ${pgbench.tps} tps (-c ${pgbench.clients} -s ${pgbench.scale})`);
  return {
    bareHttp,
    fastifyNoop,
    envelopeFloor,
    envelopeFloorProcesses,
    sqliteCommitsPerS,
    sqlFloor: sqlFloorOfRecharge,
    pgbench,
  };
}

const seedOrders = Number(values['seed-orders']);
const seedAccounts = Number(values['seed-accounts']);
const wantsSeed = seedOrders > 0 && seedAccounts > 0;
if (values['compare-empty'] && !wantsSeed)
  throw new Error('--compare-empty needs --seed-orders and --seed-accounts');
const screens = Number(values.screens);
const screensHold = screensHoldMs(2 * screens, shape.durationMs);

/** One platform run: a database, its platform processes, and whether it is seeded first. */
interface Plan {
  readonly db: string;
  readonly processes: number;
  readonly seeded: boolean;
}

function plans(): Plan[] {
  const out: Plan[] = [];
  for (const db of dbs) {
    const pg = db.startsWith('postgres');
    const counts =
      pg && values['workers-curve']
        ? Array.from({ length: cpus().length }, (_, i) => i + 1)
        : [pg ? Number(values['platform-workers']) : 1];
    for (const processes of counts) {
      // Empty right before seeded: the machine is shared, so the two runs compared sit side by side.
      for (const seeded of values['compare-empty'] ? [false, true] : [wantsSeed]) {
        out.push({ db, processes, seeded });
      }
    }
  }
  return out;
}

/** Fills the platform's database before it starts (--seed-orders, --seed-accounts). */
async function seed(
  url: string,
  pgSchema: string | undefined,
  appid: string,
  dataDir: string,
): Promise<DbRun['seeded']> {
  const orders = seedOrders;
  const accounts = seedAccounts;
  const store = await openStore(url, pgSchema ? { pgSchema } : {});
  try {
    const started = performance.now();
    const shape: SeedShape = { appid, orders, accounts, now: Date.now(), dataDir };
    await seedStore(store, shape);
    const seconds = Math.round((performance.now() - started) / 1000);
    const bytes = await storageBytes(store);
    log(`  seeded ${orders} orders, ${accounts} accounts in ${seconds} s; bytes ${JSON.stringify(bytes)}`);
    return { orders, accounts, seconds, bytes };
  } finally {
    await store.close();
  }
}

/** PostgreSQL's CHECKPOINT, then sync(1): every dirty page on disk before a measured run. */
async function settleDisk(pgUrl: string | undefined): Promise<void> {
  const started = performance.now();
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await client.query('checkpoint');
    } finally {
      await client.end();
    }
  }
  execFileSync('sync');
  log(`  disk settled in ${Math.round(performance.now() - started)} ms (checkpoint, sync) before the run`);
}

try {
  const ceilings = values['platform-only'] ? undefined : await measureCeilings();

  const runs: DbRun[] = [];
  let client: BenchResult['client'];
  for (const [index, plan] of plans().entries()) {
    const creds = freshCredentials();
    const pg = plan.db.startsWith('postgres');
    const schema = pg ? `bench_${runTag.toLowerCase()}_${index}` : undefined;
    const profDir = values['cpu-prof'];
    const file = join(tmp, `${runTag}-${index}.db`);
    const dbUrl = pg ? plan.db : `sqlite:${file}`;
    try {
      const seeded = plan.seeded ? await seed(dbUrl, schema, creds.appid, join(tmp, 'data')) : undefined;
      // Seeding writes tens of GB; the kernel flushes them for minutes after, and a commit's fsync
      // waits behind that writeback. Both runs of a comparison start with the disk settled, as a
      // hospital's database of years is, so the figures measure the rows and not their writing.
      if (wantsSeed) await settleDisk(pg ? dbUrl : undefined);
      const server = await spawnPlatform(
        {
          db: dbUrl,
          dataDir: join(tmp, 'data'),
          devApps: [`${creds.appid}:${creds.secret}`],
          ...(schema ? { pgSchema: schema } : {}),
          ...(pg ? { workers: plan.processes } : {}),
        },
        [
          ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
          ...(screens > 0 ? ['--expose-gc'] : []),
        ],
        // As a hospital with this many screens would deploy it: room for every stream and the calls.
        screens > 0
          ? {
              ONEPAY_MAX_CONNECTIONS: String(2 * screens + CONNECTIONS_LEFT_TO_CALLS),
              BENCH_GC_ON_SIGNAL: '1',
            }
          : {},
        compiled,
      );
      let figures: PlatformFigures;
      let held: ScreensFigures | undefined;
      try {
        const processes = plan.processes > 1 ? ` (${plan.processes} processes)` : '';
        log(`platform on ${pg ? 'postgres' : 'sqlite'}${processes}${seeded ? ', seeded' : ''}…`);
        const numbering: Numbering = { next: 0 };
        figures = await platformPhases(workers, server, creds, shape, numbering);
        for (const [name, f] of Object.entries(figures)) {
          log(
            `  ${name.padEnd(16)} ${f.perSecond}/s p50 ${f.p50Ms} p99 ${f.p99Ms} max ${f.maxMs} ms ${JSON.stringify(f.codes)}`,
          );
        }
        // The platform's memory is read from its one process: the screens phase needs exactly one.
        if (screens > 0 && plan.processes === 1) {
          held = await screensPhase(
            server,
            creds,
            screens,
            screensHold,
            (ms) => openLoopRecharges(workers, server, creds, shape, numbering, ms),
            log,
          );
          const o = held.openLoop;
          log(
            `  with screens   ${o.perSecond}/s p50 ${o.p50Ms} p99 ${o.p99Ms} max ${o.maxMs} ms ${JSON.stringify(o.codes)}; ` +
              `${held.starved} starved (longest silence ${held.longestSilenceMs} ms)`,
          );
        }
        if (!client) {
          const calls = quick ? 300 : 3_000;
          client = {
            sm: await clientRoundTrip(server.url, { ...creds, suite: 'SM' }, calls),
            aes: await clientRoundTrip(server.url, creds, calls),
          };
          log(`  payTrans round trip median SM ${client.sm.p50Ms} ms, AES ${client.aes.p50Ms} ms`);
        }
      } finally {
        await server.stop();
      }
      runs.push({
        engine: pg ? 'postgres' : 'sqlite',
        processes: plan.processes,
        ...(seeded ? { seeded } : {}),
        ...(held ? { screens: held } : {}),
        ...figures,
      });
    } finally {
      // A seeded database is tens of gigabytes: gone before the next run, not at the end.
      if (schema) await dropSchemaQuietly(plan.db, schema);
      else for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  }
  if (ceilings) {
    const result: BenchResult = {
      at: new Date().toISOString(),
      quick,
      machine: { cpus: cpus().length, node: process.version },
      shape: { ...shape, workers: workers.size },
      sizes,
      ceilings,
      runs,
      ...(client ? { client } : {}),
    };
    const where = writeResults(result, { docs: !quick && !values['no-docs'] });
    log(`results: ${where}`);
    const failed = runs.flatMap((r) =>
      Object.entries(r)
        .filter(([k]) => k !== 'engine' && k !== 'seeded' && k !== 'screens')
        .concat(r.screens ? [['screens', r.screens.openLoop]] : [])
        .filter(
          ([, f]) =>
            typeof f === 'object' &&
            'codes' in f &&
            (f.errors > 0 || Object.keys(f.codes).some((c) => c !== '000000')),
        ),
    );
    if (failed.length > 0) {
      log(
        `FAILED: some answers were not 000000: ${JSON.stringify(failed.map(([k, f]) => [k, f.codes, f.firstError]))}`,
      );
      process.exitCode = 1;
    }
  }
} finally {
  workers.stop();
  rmSync(tmp, { recursive: true, force: true });
}
