/**
 * The dev app does not live on, nothing serves the network with the README's
 * secret, and a hospital can disable an app or rotate its secret.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAppAdmin } from '../../src/cli/app-admin.js';
import { PayClient } from '../../src/client/index.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { DOCUMENTED_DEV_SECRET } from '../../src/server/dev-apps.js';
import { startPlatform } from '../../src/server/serve.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const silent = () => createLogger({ level: 'silent' });
const info = { ...OPERATOR, cardType: '03', cardNo: 'AD1', accountType: '01' };

describe('development apps and the documented secret', () => {
  it('--dev-app is refused beyond loopback', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-devapp-'));
    await assert.rejects(
      startPlatform({ host: '0.0.0.0', port: 0, dataDir, devApps: ['demo:0123456789abcdef'], log: silent() }),
      /--dev-app is for development on this machine only/,
    );
  });

  it('a dev app not named at the next start is disabled', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-devapp-'));
    const first = await startPlatform({
      port: 0,
      dataDir,
      devApps: [`demo:${DOCUMENTED_DEV_SECRET}`],
      log: silent(),
    });
    const url = (base: string) => `${base}/onepay-web/oneweb/oneapi`;
    const client = new PayClient({
      serveraddr: url(first.url),
      appid: 'demo',
      appsecret: DOCUMENTED_DEV_SECRET,
    });
    assert.notEqual((await client.accountInfo(info)).respCode, '010004');
    await first.close();
    const second = await startPlatform({ port: 0, dataDir, log: silent() });
    try {
      const again = new PayClient({
        serveraddr: url(second.url),
        appid: 'demo',
        appsecret: DOCUMENTED_DEV_SECRET,
      });
      assert.equal(
        (await again.accountInfo(info)).respCode,
        '010004',
        'disabled by a start without --dev-app',
      );
    } finally {
      await second.close();
    }
  });

  it('an enabled app holding the documented secret keeps the platform off the network', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-devapp-'));
    const local = await startPlatform({ port: 0, dataDir, log: silent() });
    await local.platform.apps.create({ name: '医院', appid: 'copied', secret: DOCUMENTED_DEV_SECRET });
    await local.close();
    await assert.rejects(
      startPlatform({ host: '0.0.0.0', port: 0, dataDir, log: silent() }),
      /copied use the documented secret/,
    );
    const again = await startPlatform({ port: 0, dataDir, log: silent() });
    await again.platform.apps.update('copied', { disabled: true });
    await again.close();
    const exposed = await startPlatform({
      host: '0.0.0.0',
      port: 0,
      dataDir,
      log: silent(),
      publicUrl: 'http://127.0.0.1:1',
    });
    await exposed.close();
  });
});

for (const database of TEST_DATABASES) {
  describe(`disable, enable and rotate an app's secret, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let now = Date.now();
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => {
      if (!availability.skip) await t.close();
    });
    const admin = (verb: string, args: string[] = [], grace?: string) =>
      runAppAdmin(
        t.running.platform.apps,
        verb,
        t.appid,
        args,
        { ...(grace ? { grace } : {}), now },
        () => {},
      );

    it('a disabled app is refused with 010004 until enabled', availability, async () => {
      assert.notEqual((await t.client.accountInfo(info)).respCode, '010004');
      await admin('disable');
      assert.equal((await t.client.accountInfo(info)).respCode, '010004');
      await admin('enable');
      assert.notEqual((await t.client.accountInfo(info)).respCode, '010004');
    });

    it(
      'after rotate-secret the new secret works and the old one only for its grace',
      availability,
      async () => {
        const lines: string[] = [];
        now = Date.now();
        await runAppAdmin(t.running.platform.apps, 'rotate-secret', t.appid, [], { grace: '1h', now }, (l) =>
          lines.push(l),
        );
        const { appsecret } = JSON.parse(lines.join('')) as { appsecret: string };
        const fresh = new PayClient({
          serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
          appid: t.appid,
          appsecret,
        });
        assert.notEqual((await fresh.accountInfo(info)).respCode, '010005');
        assert.notEqual(
          (await t.client.accountInfo(info)).respCode,
          '010005',
          'the old secret inside its grace',
        );
        now = Date.now() - 2 * 3600_000;
        await runAppAdmin(
          t.running.platform.apps,
          'rotate-secret',
          t.appid,
          [],
          { grace: '1h', now },
          () => {},
        );
        assert.equal(
          (await fresh.accountInfo(info)).respCode,
          '010005',
          'a secret rotated away past its grace stops',
        );
        assert.equal((await t.client.accountInfo(info)).respCode, '010005');
      },
    );

    it('app set checks what it sets', availability, async () => {
      await admin('set', ['orderTtlMinutes=30']);
      assert.equal((await t.running.platform.apps.find(t.appid))?.config.orderTtlMinutes, 30);
      await assert.rejects(admin('set', ['orderTtlMinutes=0']), /1 to 1440/);
      await assert.rejects(admin('set', ['secret=x']), /app set takes/);
      await assert.rejects(admin('set', ['allowInsecureHttp=maybe']), /true or false/);
      await admin('set', ['allowInsecureHttp=true']);
      assert.equal((await t.running.platform.apps.find(t.appid))?.config.allowInsecureHttp, true);
      await admin('set', ['allowInsecureHttp=false']);
      assert.equal((await t.running.platform.apps.find(t.appid))?.config.allowInsecureHttp, false);
    });
  });
}
