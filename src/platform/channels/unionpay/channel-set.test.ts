/**
 * `onepay app channel set <appid> unionpay …` with the files UnionPay's
 * merchant service hands out: a binary .pfx and PEM certificates.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAppChannelCli } from '../../../cli/app-channel.js';
import { unionpayTestMerchant } from '../../../gateway-doubles/unionpay/merchant.js';
import { UnionpayGatewayDouble, unionpayDoubleCode } from '../../../gateway-doubles/unionpay/server.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { beijing14 } from './api.js';

for (const database of TEST_DATABASES) {
  describe(`app channel set unionpay on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let double: UnionpayGatewayDouble;

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      double = new UnionpayGatewayDouble();
      await double.listen();
    });
    after(async () => {
      if (availability.skip) return;
      await double.close();
      await t.closeCheckingLedger();
    });

    it('reads the binary .pfx, refuses a wrong password, seals the secrets, pays', availability, async () => {
      const platform = t.running.platform;
      const appid = `live${randomBytes(4).toString('hex')}`;
      await platform.apps.create({
        name: '正式医院',
        appid,
        secret: randomBytes(24).toString('base64url'),
        mode: 'live',
      });
      const { config, pfx } = unionpayTestMerchant(double, double.listenUrl());
      const dir = mkdtempSync(join(tmpdir(), 'up-'));
      writeFileSync(join(dir, 'merchant.pfx'), pfx);
      writeFileSync(join(dir, 'root.cer'), config['rootCert'] ?? '');
      writeFileSync(join(dir, 'middle.cer'), config['middleCert'] ?? '');
      const args = (password: string) => [
        'set',
        appid,
        'unionpay',
        `merId=${config['merId']}`,
        `pfx=@${join(dir, 'merchant.pfx')}`,
        `pfxPassword=${password}`,
        `rootCert=@${join(dir, 'root.cer')}`,
        `middleCert=@${join(dir, 'middle.cer')}`,
        `gatewayUrl=${double.listenUrl()}`,
      ];
      const lines: string[] = [];
      await assert.rejects(
        runAppChannelCli(platform.store, t.dataDir, args('wrong'), (l) => lines.push(l)),
        /pfx: not a PKCS#12 file this password opens/,
      );
      assert.deepEqual(await platform.credentials.list(appid), [], 'nothing stored');
      const password = config['pfxPassword'] ?? '';
      await runAppChannelCli(platform.store, t.dataDir, args(password), (l) => lines.push(l));
      assert.match(lines.at(-1) ?? '', /unionpay configured/);
      const row = await platform.store.db
        .selectFrom('app_gateways')
        .select('config_sealed')
        .where('appid', '=', appid)
        .executeTakeFirstOrThrow();
      assert.ok(!row.config_sealed.includes(password), 'the password is sealed');
      assert.ok(!row.config_sealed.includes(pfx.toString('base64').slice(0, 40)), 'the key is sealed');
      const adapter = await platform.gateways.forGateway({ appid }, 'unionpay');
      assert.ok(adapter);
      const paid = await adapter.pay({
        traceNo: `${beijing14(Date.now())}${randomBytes(6).toString('hex')}`,
        appid,
        channel: 'UP_BAR',
        amountFen: 100,
        subject: '缴费',
        termNo: 'T1',
        extra: { authCode: unionpayDoubleCode('paid') },
        expireAt: Date.now() + 60_000,
      });
      assert.equal(paid.state, 'success', paid.message);
    });
  });
}
