/**
 * What one trade costs the platform on PostgreSQL, without HTTP in the way:
 * an in-process platform answers `count` sealed requests from `concurrency`
 * loops through handleApiCall, then prints per call the CPU, the GC pauses
 * (PerformanceObserver 'gc'), the heap allocated (V8's own count, from
 * --trace-gc-nvp: the probe runs itself again with it) and every round trip
 * to the server, by statement text (node-postgres' Client.query counted, so
 * BEGIN and COMMIT, the nonce claim and the lazy pool's statements are all
 * in), and the CPU the server's processes serving those connections spent
 * (their /proc/<pid>/stat, so PostgreSQL must run on this machine). Used for
 * docs/benchmarks.md.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/probes/pg-trade-cost.ts [recharge|query] [count] [concurrency]
 *
 * PROBE_CPU_PROFILE=<file> also writes a CPU profile of the measured calls alone,
 * PROBE_HEAP_PROFILE=<file> a sampling heap profile (what allocated, by function),
 * PROBE_SERVER_BY_STATEMENT=1 the server's CPU a call by statement (reads /proc around each).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MEASURED = '--measured-child';

if (!process.argv.includes(MEASURED)) {
  // The parent: runs the probe under --trace-gc-nvp and adds up V8's `allocated=` between the
  // child's markers (the trace lines and the markers share the child's stdout, in order).
  const child = spawn(
    process.execPath,
    ['--trace-gc-nvp', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2), MEASURED],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let measuring = false;
  let allocated = 0;
  let scavenges = 0;
  let markCompacts = 0;
  let calls = 0;
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('probe:start')) {
        measuring = true;
        calls = Number(line.split(' ')[1]);
      } else if (line.startsWith('probe:end')) measuring = false;
      else if (/^\[\d+:0x[0-9a-f]+\]/.test(line)) {
        if (!measuring) continue;
        allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
        if (/ gc=s /.test(line)) scavenges++;
        else markCompacts++;
      } else console.log(line);
    }
  });
  child.on('exit', (code) => {
    if (calls > 0)
      console.log(
        `heap allocated: ${(allocated / calls / 1024).toFixed(1)} KiB a call (${scavenges} scavenges, ${markCompacts} other collections)`,
      );
    process.exit(code ?? 1);
  });
} else {
  await measure();
}

async function measure(): Promise<void> {
  const { PerformanceObserver, performance } = await import('node:perf_hooks');
  const { readFileSync } = await import('node:fs');
  /** CPU time (user + system, clock ticks of 10 ms) of these processes; NaN once one is gone. */
  const serverTicks = (pids: Iterable<number>) => {
    let ticks = 0;
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        return Number.NaN;
      }
    }
    return ticks;
  };
  const pg = (await import('pg')).default;
  const { handleApiCall } = await import('../../src/platform/gateway/api.js');
  const { TEST_DATABASES } = await import('../../src/testing/databases.js');
  const { startTestPlatform } = await import('../../src/testing/platform.js');
  const { answerCode, pindata, seal } = await import('../lib/requests.js');

  const args = process.argv.slice(2).filter((a) => a !== MEASURED);
  const op = args[0] === 'query' ? 'query' : 'recharge';
  const count = Number(args[1] ?? 4_000);
  const concurrency = Number(args[2] ?? 32);
  const WARM = 500;

  // Every round trip: each Client.query is one message exchange with the server (node-postgres
  // sends a query, or parse/bind/execute/sync, and waits for ReadyForQuery).
  const trips = new Map<string, number>();
  let counting = false;
  const perStatement = process.env['PROBE_SERVER_BY_STATEMENT'] === '1';
  const serverByText = new Map<string, number>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  // The server process behind each connection (node-postgres keeps its pid from BackendKeyData).
  const backends = new Set<number>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const pid = (this as { processID?: number | null }).processID;
    if (pid) backends.add(pid);
    if (counting) {
      // Keyed by the text as sent (the same string each time, its hash kept by V8): tidied only
      // when printed, so the probe adds no garbage of its own to what it measures.
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '?');
      trips.set(text, (trips.get(text) ?? 0) + 1);
      if (perStatement && pid) {
        // The backend serves only this statement meanwhile (a connection runs one at a time), so
        // its CPU ticks across the call are the statement's; at 10 ms a tick, only the sum over
        // thousands of calls means anything.
        const before = serverTicks([pid]);
        const running = query.apply(this, args) as Promise<unknown>;
        void running.then(
          () => serverByText.set(text, (serverByText.get(text) ?? 0) + (serverTicks([pid]) - before || 0)),
          () => {},
        );
        return running;
      }
    }
    return query.apply(this, args);
  };

  let gcMs = 0;
  let gcs = 0;
  const gcWatch = new PerformanceObserver((list) => {
    if (!counting) return;
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcs++;
    }
  });
  gcWatch.observe({ entryTypes: ['gc'] });

  const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
  if (!postgres) throw new Error('no postgres');
  const t = await startTestPlatform(postgres, { suite: 'AES' });
  const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
  const call = (kind: 'recharge' | 'query', n: number) =>
    handleApiCall(t.running.platform, seal(creds, pindata(kind, 'P', n)).body.toString());

  // The warm-up opens every patient's account: the measured recharges go to open ones, as in
  // the bench after its first seconds.
  for (let n = 0; n < WARM; n++) await call('recharge', 1_000_000 + n);
  // Sealed before the clock starts, as the bench's load generators do.
  const sealed = Array.from({ length: count }, (_, n) =>
    seal(creds, pindata(op, 'P', op === 'query' ? 1_000_000 + (n % WARM) : n)),
  );
  const bodies = sealed.map((s) => s.body.toString());
  const answers: string[] = [];

  await new Promise((resolve) => setTimeout(resolve, 100));
  const profile = process.env['PROBE_CPU_PROFILE'];
  const { Session } = await import('node:inspector/promises');
  const heapProfile = process.env['PROBE_HEAP_PROFILE'];
  const inspector = new Session();
  if (profile || heapProfile) inspector.connect();
  if (profile) {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  if (heapProfile) {
    await inspector.post('HeapProfiler.enable');
    // Every 4 KiB on average, and the samples of objects already collected kept: garbage is the point.
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  console.log(`probe:start ${count}`);
  counting = true;
  const serverBefore = new Map([...backends].map((pid) => [pid, serverTicks([pid])]));
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const answer = await handleApiCall(t.running.platform, bodies[n] as string);
        answers[n] = answer.body;
        // Each request of a server arrives in its own turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // Connections opened during the run started from zero.
  // A connection the pool closed while idle took its ticks with it: counted as lost, not as zero.
  let serverTicksUsed = 0;
  let lost = 0;
  for (const pid of backends) {
    const used = serverTicks([pid]) - (serverBefore.get(pid) ?? 0);
    if (Number.isNaN(used)) lost++;
    else serverTicksUsed += used;
  }
  const { writeFileSync } = await import('node:fs');
  if (profile) writeFileSync(profile, JSON.stringify((await inspector.post('Profiler.stop')).profile));
  if (heapProfile)
    writeFileSync(heapProfile, JSON.stringify((await inspector.post('HeapProfiler.stopSampling')).profile));
  if (profile || heapProfile) inspector.disconnect();
  // Let the last GC entries arrive before reading them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  counting = false;
  console.log('probe:end');
  // Every answer opened and its code checked after the clock, as the bench does.
  sealed.forEach((s, n) => {
    const code = answerCode(creds, Buffer.from(answers[n] ?? ''), s.nonce);
    if (code !== '000000') throw new Error(`call ${n} answered ${code}`);
  });
  let total = 0;
  for (const n of trips.values()) total += n;
  console.log(
    `${op}: ${count} (${concurrency} at once) in ${wallMs.toFixed(0)} ms; ` +
      `${((used.user + used.system) / count).toFixed(1)} µs CPU a call (${(used.system / count).toFixed(1)} in the kernel); ` +
      `GC ${((gcMs / count) * 1000).toFixed(1)} ms a 1,000 calls (${gcs} pauses); ` +
      `${(total / count).toFixed(2)} round trips a call; ` +
      `server ${((serverTicksUsed * 10_000) / count).toFixed(0)} µs CPU a call (${backends.size} connections${lost ? `, ${lost} closed during the run and not counted` : ''})`,
  );
  for (const [text, n] of [...trips].sort((a, b) => b[1] - a[1]))
    console.log(
      `${(n / count).toFixed(3).padStart(7)}  ${perStatement ? `${(((serverByText.get(text) ?? 0) * 10_000) / count).toFixed(0).padStart(5)} µs server  ` : ''}${text.replace(/\s+/g, ' ').slice(0, 100)}`,
    );
  gcWatch.disconnect();
  await t.close();
}
