import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { PayClient } from '../client/index.js';
import { createLogger } from '../platform/log/logger.js';
import { databaseAvailability, TEST_DATABASES } from '../testing/databases.js';
import { startPlatform } from './serve.js';

/** Every line the platform logs at info and above, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

const msgs = (lines: readonly Record<string, unknown>[]) => lines.map((l) => String(l['msg']));

for (const database of TEST_DATABASES) {
  describe(`what the platform logs on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);

    it(
      'start and stop are one line each; an open desk is one info line, not one a second',
      availability,
      async () => {
        const { lines, log } = capture();
        const dataDir = mkdtempSync(join(tmpdir(), 'onepay-log-'));
        const shared = await database.shared();
        const appid = `log${randomBytes(4).toString('hex')}`;
        const secret = randomBytes(24).toString('base64url');
        const running = await startPlatform({
          port: 0,
          dataDir,
          db: shared.url,
          ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
          devApps: [`${appid}:${secret}`],
          log,
        });
        try {
          const started = msgs(lines).filter((m) => !m.startsWith('sandbox apps'));
          assert.deepEqual(started, ['onepay platform listening'], 'one line says the platform started');

          lines.length = 0;
          let deskUrl = '';
          const client = new PayClient({
            serveraddr: `${running.url}/onepay-web/oneweb/oneapi`,
            appid,
            appsecret: secret,
            // The desk stays open 3.5 s: about three replays a second apart.
            desk: { mode: 'none', timeoutMs: 3_500, show: (url) => (deskUrl = url) },
          });
          const answer = await client.recharge({
            operatorId: '001',
            termNo: 'T01',
            operatorName: '张三',
            cardType: '03',
            cardNo: 'D12345678',
            accountType: '01',
            hisCustId: 'H0001',
            userName: '蔡少辉',
            idNo: '350288888888888888',
            amount: '1.00',
            outChargeNo: 'LOG-1',
            subject: '门诊预交金',
            extra: {
              userSex: '1',
              cardZone: '350200',
              idType: '01',
              mobilePhone: '13011111111',
              deskflak: '0',
            },
          });
          assert.equal(answer.respCode, '035001', 'the client closed the order it stopped waiting for');
          assert.ok(deskUrl);
          const calls = lines.filter((l) => l['msg'] === 'payTrans');
          // The open desk is one info line however long it waits (its replays are debug); then the
          // client's close and the closed order's answer.
          assert.deepEqual(
            calls.map((l) => l['respCode']),
            ['040038', '000000', '035001'],
            JSON.stringify(calls),
          );
        } finally {
          lines.length = 0;
          await running.close();
          await shared.dropSchema();
        }
        assert.deepEqual(msgs(lines), ['onepay platform stopped'], 'one line says the platform stopped');
      },
    );
  });
}
