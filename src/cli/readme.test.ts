import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { payTrans } from '../client/pay-trans.js';
import { createLogger } from '../platform/log/logger.js';
import {
  BARCODE_POLL_INTERVAL_MS,
  BARCODE_POLL_MAX,
  CLIENT_ANSWER_TIMEOUT_MS,
} from '../protocol/timeouts.js';
import { DOCUMENTED_DEV_SECRET } from '../server/dev-apps.js';
import { type RunningPlatform, startPlatform } from '../server/serve.js';
import { databaseAvailability, POSTGRES_URL, TEST_DATABASES } from '../testing/databases.js';

/** The pindata of every `npx payclient '…'` line of README's quick start, in order. */
function quickStartCalls(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Quick start');
  const end = readme.indexOf('\n### ', start);
  assert.ok(start >= 0 && end > start, 'README has a Quick start section');
  return [...readme.slice(start, end).matchAll(/^npx payclient '(.+)'$/gm)].map((m) => m[1] ?? '');
}

const param = (poutdata: Record<string, unknown>) => poutdata['param'] as Record<string, string>;

describe("README's figures are the code's", () => {
  it('the client waits as long as README says', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.match(readme, new RegExp(`the client waits ${CLIENT_ANSWER_TIMEOUT_MS / 1000} s for an answer`));
    assert.match(readme, new RegExp(`${BARCODE_POLL_MAX} × ${BARCODE_POLL_INTERVAL_MS / 1000} s`));
  });
});

for (const database of TEST_DATABASES) {
  describe(`README's quick start is true, refund included, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let running: RunningPlatform;
    let dropSchema = async () => {};
    const home = mkdtempSync(join(tmpdir(), 'payclient-home-'));
    before(async () => {
      if (availability.skip) return;
      const dataDir = mkdtempSync(join(tmpdir(), 'onepay-readme-'));
      const shared = database.name === 'postgres' ? await database.shared() : undefined;
      if (shared) dropSchema = shared.dropSchema;
      running = await startPlatform({
        port: 0,
        dataDir,
        db: shared ? POSTGRES_URL : `sqlite:${join(dataDir, 'onepay.db')}`,
        ...(shared?.pgSchema ? { pgSchema: shared.pgSchema } : {}),
        devApps: [`demo:${DOCUMENTED_DEV_SECRET}`],
        log: createLogger({ level: 'silent' }),
      });
      process.env['PAYCLIENT_HOME'] = home;
    });
    after(async () => {
      delete process.env['PAYCLIENT_HOME'];
      await running?.close();
      await dropSchema();
    });

    it(
      'setinfo, recharge, account, refund (and the refund asked again) answer as it says',
      availability,
      async () => {
        const calls = quickStartCalls();
        const kinds = calls.map((c) => (JSON.parse(c) as { transType: string }).transType);
        assert.deepEqual(kinds, [
          'hop.trade.setinfo',
          'hop.trade.recharge',
          'hop.account.info',
          'hop.trade.refund',
        ]);
        const answers: Record<string, unknown>[] = [];
        for (const call of calls) {
          // The README's platform is `npm start` on port 1301; this one listens where the OS put it.
          const pindata = call.replace('http://127.0.0.1:1301', running.url);
          const answer = JSON.parse(await payTrans(pindata)) as Record<string, unknown>;
          assert.equal(answer['respCode'], '000000', `${call.slice(0, 60)}: ${String(answer['respMsg'])}`);
          answers.push(answer);
        }
        const [, recharge, account, refund] = answers;
        assert.equal(param(recharge ?? {})['balance'], '100.00');
        assert.equal(param(account ?? {})['balance'], '100.00');
        assert.equal(param(refund ?? {})['succAmount'], '30.00');
        const again = JSON.parse(await payTrans(calls[3] ?? '')) as Record<string, unknown>;
        assert.deepEqual(param(again), param(refund ?? {}), 'the same refund asked again answers the same');
        const after = JSON.parse(await payTrans(calls[2] ?? '')) as Record<string, unknown>;
        assert.equal(param(after)['balance'], '70.00', 'the README says the balance is then ¥70.00');
      },
    );
  });
}
