import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PORT as BRIDGE_DEFAULT_PORT } from '../bridge/server.js';
import { HIS_SIM_DEFAULT_PORT } from './his-sim.js';

/** Runs a CLI from source; the exit status and what a person sees on stderr. */
function run(entry: string, args: readonly string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      {
        env: {
          ...process.env,
          ONEPAY_LOG_LEVEL: 'silent',
          PAYCLIENT_HOME: mkdtempSync(join(tmpdir(), 'pc-')),
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (error, _stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}
const onepay = (...args: string[]) => run('src/cli/onepay-main.ts', args);
const payclient = (...args: string[]) => run('src/client/cli-main.ts', args);

/** Exactly one line, no stack, matching every pattern. */
function oneClearLine(stderr: string, ...patterns: RegExp[]): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m);
  for (const p of patterns) assert.match(lines[0] ?? '', p);
}

describe('servers that cannot start say why in one line', () => {
  let taken: net.Server;
  let takenPort: number;
  let closedPort: number;
  before(async () => {
    taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    takenPort = (taken.address() as net.AddressInfo).port;
    // A port nobody listens on: opened and closed again.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  after(() => new Promise<void>((r) => taken.close(() => r())));

  it('bridge and his-sim default to different ports', () => {
    assert.equal(BRIDGE_DEFAULT_PORT, 1302);
    assert.notEqual(HIS_SIM_DEFAULT_PORT, BRIDGE_DEFAULT_PORT);
    assert.notEqual(HIS_SIM_DEFAULT_PORT, 1301, 'nor the platform');
  });

  it('onepay serve: --port abc, a taken port, an unreachable database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-start-'));
    const bad = await onepay('serve', '--port', 'abc', '--data-dir', dataDir);
    assert.equal(bad.status, 2);
    oneClearLine(bad.stderr, /^onepay serve: /, /--port abc 不是端口号/);
    const busy = await onepay('serve', '--port', String(takenPort), '--data-dir', dataDir);
    assert.equal(busy.status, 1);
    oneClearLine(busy.stderr, /已被占用/, new RegExp(`127\\.0\\.0\\.1:${takenPort}`));
    const noDb = await onepay('serve', '--port', '0', '--db', `postgres://root:pw@127.0.0.1:${closedPort}/x`);
    assert.equal(noDb.status, 1);
    oneClearLine(noDb.stderr, /无法连接数据库/, /ECONNREFUSED/, /root:\*\*\*@/);
  });

  it('payclient bridge: --port abc and a taken port', async () => {
    const bad = await payclient('bridge', '--port', 'abc');
    assert.equal(bad.status, 2);
    oneClearLine(bad.stderr, /^payclient bridge: --port abc 不是端口号/);
    const busy = await payclient('bridge', '--port', String(takenPort), '--allow-setinfo');
    assert.equal(busy.status, 1);
    oneClearLine(busy.stderr, /^payclient bridge: 端口 127\.0\.0\.1:\d+ 已被占用/);
  });

  it('onepay his-sim: --port abc and a taken port', async () => {
    const bad = await onepay('his-sim', '--port', 'abc', '--key', 'k');
    assert.equal(bad.status, 2);
    oneClearLine(bad.stderr, /^onepay his-sim: --port abc 不是端口号/);
    const busy = await onepay('his-sim', '--port', String(takenPort), '--key', 'k');
    assert.equal(busy.status, 1);
    oneClearLine(busy.stderr, /^onepay his-sim: 端口 127\.0\.0\.1:\d+ 已被占用/);
  });
});
