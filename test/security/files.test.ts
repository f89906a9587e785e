/**
 * Patient data at rest: the data folder is the platform's alone, and the
 * SQLite file with its WAL and SHM is readable by the platform's user only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PayClient } from '../../src/client/index.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { startPlatform } from '../../src/server/serve.js';
import { cashRecharge } from '../../src/testing/params.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('files of the platform', () => {
  it('data folder 0700; the SQLite file, its WAL and SHM 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'onepay-files-')), 'data');
    const running = await startPlatform({
      port: 0,
      dataDir,
      devApps: ['files:0123456789abcdef'],
      log: createLogger({ level: 'silent' }),
    });
    try {
      const client = new PayClient({
        serveraddr: `${running.url}/onepay-web/oneweb/oneapi`,
        appid: 'files',
        appsecret: '0123456789abcdef',
      });
      assert.equal((await client.recharge(cashRecharge('F1', 'F1-C', '1.00'))).respCode, '000000');
      assert.equal(mode(dataDir), 0o700);
      for (const name of ['onepay.db', 'onepay.db-wal', 'onepay.db-shm', 'master.key']) {
        assert.equal(mode(join(dataDir, name)), 0o600, name);
      }
    } finally {
      await running.close();
    }
  });
});
