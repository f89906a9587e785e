import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, mock } from 'node:test';
import { runPayclientCli } from '../client/cli.js';
import { runOnepayCli } from './onepay.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

async function printed(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const log = mock.method(console, 'log', () => {});
  try {
    const code = await run();
    return { code, out: log.mock.calls.map((c) => String(c.arguments[0])).join('\n') };
  } finally {
    log.mock.restore();
  }
}

describe('the CLIs answer a person', () => {
  it('--version prints the package version and exits 0, for both', async () => {
    for (const run of [() => runPayclientCli(['--version']), () => runOnepayCli(['--version'])]) {
      const { code, out } = await printed(run);
      assert.equal(code, 0);
      assert.equal(out.trim(), VERSION);
    }
  });

  it('--help lists usage and the environment variables, and exits 0', async () => {
    const payclient = await printed(() => runPayclientCli(['--help']));
    assert.equal(payclient.code, 0);
    for (const name of [
      'PAYCLIENT_HOME',
      'PAYCLIENT_DESK',
      'PAYCLIENT_DESK_TIMEOUT_MS',
      'PAYCLIENT_BRIDGE_TOKEN',
    ]) {
      assert.ok(payclient.out.includes(name), name);
    }
    const onepay = await printed(() => runOnepayCli(['--help']));
    assert.equal(onepay.code, 0);
    for (const name of [
      'ONEPAY_MASTER_KEY',
      'ONEPAY_DB',
      'ONEPAY_OPERATOR_TOKEN',
      'ONEPAY_MAX_CONNECTIONS',
    ]) {
      assert.ok(onepay.out.includes(name), name);
    }
  });
});
