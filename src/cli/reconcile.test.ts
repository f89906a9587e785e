import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMasterKey } from '../platform/apps/master-key.js';
import { AppRegistry } from '../platform/apps/registry.js';
import { beijingDayBounds } from '../platform/reconcile/day.js';
import { databaseAvailability, TEST_DATABASES } from '../testing/databases.js';
import { runReconcileCli } from './reconcile.js';

for (const database of TEST_DATABASES) {
  describe(`onepay reconcile on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    it(
      "reconciles a sandbox app's day from the database: money with no order is 长款, an uploaded HIS line with none is HIS 多记; exit 1 on differences",
      availability,
      async () => {
        const store = await database.open();
        const dataDir = mkdtempSync(join(tmpdir(), 'onepay-cli-'));
        try {
          const apps = new AppRegistry(store, loadMasterKey({ dataDir }));
          const { appid } = await apps.create({ name: '对账医院', mode: 'sandbox' });
          const day = '2026-11-30';
          const at = beijingDayBounds(day).from + 3_600_000;
          await store.db
            .insertInto('sandbox_payments')
            .values({
              trace_no: 'NOORDER1',
              appid,
              channel: 'WX_QR',
              amount_fen: 500,
              subject: 's',
              term_no: 'T1',
              token: null,
              state: 'success',
              scenario: 'wallet',
              queries: 0,
              paid_channel: 'WX_QR',
              channel_trade_no: 'WX-1',
              pos_no: null,
              result_extra: null,
              message: null,
              refunded_fen: 0,
              refund_outcome: null,
              expire_at: at,
              paid_at: at,
              created_at: at,
              updated_at: at,
            })
            .execute();
          const lines: string[] = [];
          const csv = 'traceNo,hisNo,amount,kind\nHISX,HN1,1.00,credit\n';
          const code = await runReconcileCli(
            store,
            dataDir,
            { appid, day, hisCsv: 'his.csv' },
            (path) => (path === 'his.csv' ? csv : ''),
            (l) => lines.push(l),
          );
          assert.equal(code, 1);
          assert.deepEqual(lines, [
            `${appid} ${day}: 渠道 1 笔, HIS 1 笔`,
            '  相符: 渠道 0 笔, HIS 0 笔',
            '  HIS 多记 (HIS 有记录, 平台无此交易): 1',
            '  长款 (渠道有款, 平台无单): 1',
          ]);
          assert.equal(await runReconcileCli(store, dataDir, { appid, day: '2026-02-30' }, () => ''), 2);
          assert.equal(await runReconcileCli(store, dataDir, { appid }, () => ''), 2);
        } finally {
          await store.close();
        }
      },
    );
  });
}
