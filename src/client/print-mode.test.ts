import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PRINT_MODE_WARNING } from '../protocol/print-mode.js';
import { TEST_DATABASES } from '../testing/databases.js';
import { cashRecharge } from '../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../testing/platform.js';
import { saveSettings } from './config.js';

describe('print-mode QR answers (000000, tradeState 1) are stated loudly', () => {
  let t: TestPlatform;
  const home = mkdtempSync(join(tmpdir(), 'payclient-home-'));
  before(async () => {
    t = await startTestPlatform(TEST_DATABASES[0]!);
    saveSettings(
      { serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`, appid: t.appid, appsecret: t.secret },
      { PAYCLIENT_HOME: home },
    );
  });
  after(() => t?.close());

  // Asynchronous: the platform answering the child runs in this very process.
  const run = (param: Record<string, unknown>) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/client/cli-main.ts',
          JSON.stringify({ transType: 'hop.trade.recharge', param }),
        ],
        { env: { ...process.env, PAYCLIENT_HOME: home }, encoding: 'utf8' },
        (error, stdout, stderr) =>
          resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('the CLI warns on stderr under a print-mode QR answer, and not under a paid one', async () => {
    const qr = await run({ ...cashRecharge('PM1', 'PM-QR', '5.00'), depositType: 'WX_QR' });
    const answer = JSON.parse(qr.stdout) as { respCode: string; param: Record<string, string> };
    assert.equal(answer.respCode, '000000');
    assert.equal(answer.param['tradeState'], '1');
    assert.match(qr.stderr, /尚未支付/);
    assert.match(qr.stderr, /hop\.trade\.query/);

    const cash = await run(cashRecharge('PM1', 'PM-CASH', '5.00'));
    assert.equal(JSON.parse(cash.stdout).param.tradeState, '0');
    assert.doesNotMatch(cash.stderr, /尚未支付/);
  });

  it('the reference says it first, and README where it shows a QR payment', () => {
    const reference = readFileSync('docs/reference.md', 'utf8');
    const readFirst = reference.indexOf('## Read first');
    assert.ok(readFirst >= 0 && readFirst < reference.indexOf('## Transaction types'));
    assert.ok(reference.includes(PRINT_MODE_WARNING));
    const readme = readFileSync('README.md', 'utf8');
    const qrSection = readme.slice(readme.indexOf('### A QR payment'));
    for (const needed of [/⚠/, /tradeState/, /尚未支付/, /hop\.trade\.query/])
      assert.match(qrSection, needed);
  });
});
