import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PayClient } from '../client/index.js';
import { ledgerViolations } from '../platform/ledger/journal.js';
import { createLogger } from '../platform/log/logger.js';
import type { PlatformSettings } from '../platform/platform.js';
import { type RunningPlatform, startPlatform } from '../server/serve.js';
import { POSTGRES_URL, type TestDatabase } from './databases.js';

export interface TestPlatform {
  readonly running: RunningPlatform;
  readonly client: PayClient;
  readonly appid: string;
  readonly secret: string;
  /** Where its master key (and SQLite file) live. */
  readonly dataDir: string;
  /** Journal invariants: throws with every violation listed. */
  assertLedger(): Promise<void>;
  close(): Promise<void>;
  /** assertLedger, then close even when it threw: a failed check must not leave its PostgreSQL schema behind. */
  closeCheckingLedger(): Promise<void>;
}

/** A platform on port 0 with its own database, a registered app, and a client for it. */
export async function startTestPlatform(
  database: TestDatabase,
  options: { settings?: Partial<PlatformSettings>; suite?: 'SM' | 'AES' } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onepay-platform-'));
  const appid = `test${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const shared = database.name === 'postgres' ? await database.shared() : undefined;
  const running = await startPlatform({
    port: 0,
    dataDir,
    db: shared ? POSTGRES_URL : `sqlite:${join(dataDir, 'onepay.db')}`,
    ...(shared?.pgSchema ? { pgSchema: shared.pgSchema } : {}),
    devApps: [`${appid}:${secret}`],
    log: createLogger({ level: 'silent' }),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const client = new PayClient({
    serveraddr: `${running.url}/onepay-web/oneweb/oneapi`,
    appid,
    appsecret: secret,
    suite: options.suite ?? 'SM',
  });
  const assertLedger = async () => {
    const problems = await ledgerViolations(running.platform.store.db);
    if (problems.length > 0) throw new Error(`ledger invariants broken:\n${problems.join('\n')}`);
  };
  const close = async () => {
    await running.close();
    await shared?.dropSchema();
  };
  return {
    running,
    client,
    appid,
    secret,
    dataDir,
    assertLedger,
    close,
    async closeCheckingLedger() {
      try {
        await assertLedger();
      } finally {
        await close();
      }
    },
  };
}
