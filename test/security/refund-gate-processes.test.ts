/**
 * The attack: refunds of one order fired at several platform processes at
 * once got past the one-second gap between refunds (044003) on PostgreSQL —
 * 33 in one second — because each process checked the last refund with a
 * read before its write. The gate is now claimed in the database
 * (migration 0011), so it holds across processes. Several processes share a
 * database only on PostgreSQL (a SQLite file has one owner).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ServerProcess, spawnPlatform } from '../../bench/lib/spawn.js';
import { PayClient } from '../../src/client/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../src/testing/params.js';

const API_PATH = '/onepay-web/oneweb/oneapi';
const PROCESSES = 3;
const REFUNDS_EACH = 6;
const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');

describe('044003 across several platform processes on one PostgreSQL', async () => {
  if (!postgres) throw new Error('no postgres test database');
  const availability = await databaseAvailability(postgres);
  const appid = `gate${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(18).toString('base64url');
  const processes: ServerProcess[] = [];
  let dropSchema = async () => {};
  before(async () => {
    if (availability.skip) return;
    const shared = await postgres.shared();
    dropSchema = shared.dropSchema;
    const dataDir = mkdtempSync(join(tmpdir(), 'onepay-gate-'));
    // One after the other: the first migrates the schema, the others find it done.
    for (let i = 0; i < PROCESSES; i++) {
      processes.push(
        await spawnPlatform({
          db: shared.url,
          dataDir,
          devApps: [`${appid}:${secret}`],
          ...(shared.pgSchema ? { pgSchema: shared.pgSchema } : {}),
          logLevel: 'silent',
          settings: { refundMinIntervalMs: 60_000 },
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await dropSchema();
  });

  const clientOf = (p: ServerProcess) =>
    new PayClient({ serveraddr: `${p.url}${API_PATH}`, appid, appsecret: secret });

  it(
    `${PROCESSES * REFUNDS_EACH} refunds of one order at once through ${PROCESSES} processes: one passes`,
    availability,
    async () => {
      const first = processes[0];
      assert.ok(first);
      assert.equal(
        (await clientOf(first).recharge(cashRecharge('MP1', 'MP1-C', '90.00'))).respCode,
        '000000',
      );
      const answers = await Promise.all(
        processes.flatMap((p, i) =>
          Array.from({ length: REFUNDS_EACH }, (_, j) =>
            clientOf(p).refund(cashRefund('MP1', 'MP1-C', `MP1-R${i}-${j}`, '1.00')),
          ),
        ),
      );
      const codes = answers.map((a) => a.respCode).sort();
      assert.deepEqual(
        codes,
        ['000000', ...Array.from({ length: PROCESSES * REFUNDS_EACH - 1 }, () => '044003')],
        JSON.stringify(codes),
      );
      const info = await clientOf(first).accountInfo({
        ...OPERATOR,
        cardType: '03',
        cardNo: 'MP1',
        accountType: '01',
      });
      assert.equal((info['param'] as Record<string, unknown>)['balance'], '89.00', 'one refund of 1.00 left');
    },
  );
});
