import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import type { OrderTable, Store } from '../store/index.js';
import { moneyReport, reportTotal } from './report.js';
import { openShifts } from './shift.js';
import { reportsDb } from './tables.js';

const ORDERS = 100_000;
const CHANNELS = ['CASH', 'POS', 'ALI_QR', 'WX_QR'];
const FEES = ['挂号费', '西药费', '检查费', '住院押金'];

/** A month of finished orders written straight to the table: the report's reading, not the trades, is measured. */
function order(i: number, start: number): OrderTable {
  const at = start + (i % 30) * 86_400_000 + (i % 1000) * 1000;
  const refund = i % 10 === 0;
  return {
    trace_no: `SCALE${String(i).padStart(10, '0')}`,
    appid: 'scale',
    kind: refund ? 'refund' : 'recharge',
    out_no: `SC${i}`,
    request_hash: 'x',
    state: 'succ',
    amount_fen: 100 + (i % 500),
    channel: CHANNELS[i % CHANNELS.length] ?? 'CASH',
    account_no: null,
    orig_trace_no: null,
    refunded_fen: 0,
    answer: null,
    detail: JSON.stringify({
      param: {
        operatorId: `0${i % 20}`,
        termNo: `T${i % 20}`,
        feeType: FEES[i % FEES.length],
        accountType: '01',
      },
    }),
    term_no: `T${i % 20}`,
    created_at: at,
    updated_at: at,
    finished_at: at,
    expire_at: null,
  };
}

for (const database of TEST_DATABASES) {
  describe(`a report over ${ORDERS} orders on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    const start = Date.parse('2026-11-01T00:00:00+08:00');
    before(async () => {
      if (availability.skip) return;
      store = await database.open();
      for (let i = 0; i < ORDERS; i += 1000)
        await store.db
          .insertInto('orders')
          .values(Array.from({ length: 1000 }, (_, k) => order(i + k, start)))
          .execute();
    });
    after(async () => {
      await store?.close();
    });

    it(
      'answers by day × channel × feeType × operator and the open shifts, with every order counted',
      availability,
      async () => {
        const db = reportsDb(store.db);
        const began = performance.now();
        const rows = await moneyReport(db, store.dialect, {
          fromDay: '2026-11-01',
          toDay: '2026-11-30',
          period: 'day',
          by: ['channel', 'feeType', 'operator'],
        });
        const reportMs = performance.now() - began;
        const total = reportTotal(rows);
        assert.equal(total.inCount + total.outCount, ORDERS);
        assert.equal(new Set(rows.map((r) => r.period)).size, 30);
        const shiftsBegan = performance.now();
        const shifts = await openShifts(db, store.dialect);
        const shiftsMs = performance.now() - shiftsBegan;
        assert.equal(
          shifts.reduce((s, x) => s + x.orderCount, 0),
          ORDERS,
        );
        console.log(
          `${database.name}: report over ${ORDERS} orders (${rows.length} rows) ${reportMs.toFixed(0)} ms; open shifts ${shiftsMs.toFixed(0)} ms`,
        );
      },
    );
  });
}
