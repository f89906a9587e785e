import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beijing14 } from '../../protocol/time.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { CASHIER_A, CASHIER_B, seedShiftDay } from '../../testing/shift-day.js';
import { listAudit } from '../console/audit.js';
import type { ConsoleDb } from '../console/tables.js';
import { addUser } from '../console/users.js';
import { sheetCsv, sheetXlsx } from './export.js';
import { linkOperator, scopeOf } from './operators.js';
import { moneyReport, ReportError, reportTotal } from './report.js';
import { reportSheet, shiftSheet } from './sheets.js';
import { closedShift, closeShift, openShifts, openShiftTotals } from './shift.js';
import { type ReportsDb, reportsDb } from './tables.js';

const dayOf = (ms: number) => {
  const s = beijing14(ms);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

/** Per channel, what the journal debited to the channel's clearing accounts (money taken) less what it credited (money paid back). */
async function journalByChannel(db: ReportsDb): Promise<Map<string, number>> {
  const rows = await db.selectFrom('transfers').select(['debit', 'credit', 'amount_fen']).execute();
  const net = new Map<string, number>();
  for (const r of rows) {
    const add = (account: string, sign: number) => {
      const m = /^clearing:([^:]+):/.exec(account);
      if (m?.[1]) net.set(m[1], (net.get(m[1]) ?? 0) + sign * Number(r.amount_fen));
    };
    add(r.debit, 1);
    add(r.credit, -1);
  }
  return net;
}

for (const database of TEST_DATABASES) {
  describe(`shift close and reports on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let db: ReportsDb;
    let dialect: 'sqlite' | 'postgres';
    let cashFen: number;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      db = reportsDb(t.running.platform.store.db);
      dialect = t.running.platform.store.dialect;
      cashFen = (await seedShiftDay(t)).cashierACashFen;
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it('the day report by channel equals the journal, channel by channel', availability, async () => {
      const day = dayOf(Date.now());
      const rows = await moneyReport(db, dialect, {
        fromDay: day,
        toDay: day,
        period: 'day',
        by: ['channel'],
      });
      const journal = await journalByChannel(db);
      const channels = rows.map((r) => r.keys.channel);
      assert.deepEqual(channels, ['ALI_QR', 'CASH', 'POS']);
      for (const r of rows) {
        assert.equal(r.period, day);
        assert.equal(
          r.inFen - r.outFen,
          journal.get(r.keys.channel ?? ''),
          `channel ${r.keys.channel}: the report's net against the journal's`,
        );
      }
      const cash = rows.find((r) => r.keys.channel === 'CASH');
      assert.deepEqual(
        { inFen: cash?.inFen, outFen: cash?.outFen, inCount: cash?.inCount, outCount: cash?.outCount },
        { inFen: 66_000, outFen: 4_500, inCount: 4, outCount: 2 },
      );
      const total = reportTotal(rows);
      assert.equal(total.inFen, 66_000 + 8_000 + 6_000);
      assert.equal(total.outFen, 4_500 + 2_500);
    });

    it(
      'splits by feeType, operator, terminal and account type; a refund takes its original’s feeType',
      availability,
      async () => {
        const day = dayOf(Date.now());
        const rows = await moneyReport(db, dialect, {
          fromDay: day,
          toDay: day,
          period: 'month',
          by: ['feeType', 'operator', 'terminal', 'accountType'],
        });
        const line = (feeType: string, operator: string) =>
          rows.filter((r) => r.keys.feeType === feeType && r.keys.operator === operator);
        assert.equal(rows[0]?.period, day.slice(0, 7));
        const registration = line('挂号费', '001');
        assert.equal(registration.length, 1);
        assert.deepEqual(
          [
            registration[0]?.inFen,
            registration[0]?.outFen,
            registration[0]?.keys.terminal,
            registration[0]?.keys.accountType,
          ],
          [10_000, 3_000, 'T01', '01'],
        );
        assert.deepEqual([line('住院押金', '001')[0]?.keys.accountType], ['02']);
        assert.deepEqual([line('西药费', '001')[0]?.outFen], [2_500]);
        assert.deepEqual([line('检查费', '002')[0]?.keys.terminal], ['T02']);
        const cashierB = await moneyReport(db, dialect, {
          fromDay: day,
          toDay: day,
          period: 'day',
          by: ['channel'],
          operator: CASHIER_B.operatorId,
        });
        assert.equal(reportTotal(cashierB).inFen, 8_000, 'one operator’s report holds only their money');
        await assert.rejects(
          moneyReport(db, dialect, { fromDay: '2026-02-30', toDay: day, period: 'day', by: [] }),
          ReportError,
        );
      },
    );

    it(
      'a shift shows cash to hand over; closing claims its orders once; a closed shift cannot change',
      availability,
      async () => {
        const shifts = await openShifts(db, dialect);
        const keys = shifts.map((s) => `${s.operatorId}/${s.termNo}`);
        assert.deepEqual(keys, ['001/T01', '002/T02']);
        const now = Date.now();
        const live = await openShiftTotals(db, dialect, CASHIER_A, now);
        assert.equal(live.cashFen, cashFen);
        assert.deepEqual(
          live.refundsByRoute.map((r) => [r.channel, r.kind, r.fen]),
          [
            ['ALI_QR', 'refund', 2_500],
            ['CASH', 'cancel', 1_500],
            ['CASH', 'refund', 3_000],
          ],
        );
        const who = { actor: 'cashier-a', peer: '127.0.0.1', now };
        const closed = await closeShift(db, dialect, { ...CASHIER_A, toAt: now, ...who });
        assert.equal(closed.cash_fen, cashFen);
        assert.equal(closed.order_count, 7);
        assert.deepEqual((await closedShift(db, closed.id))?.totals, live);
        await assert.rejects(closeShift(db, dialect, { ...CASHIER_A, toAt: now, ...who }), /没有未日结/);
        assert.deepEqual(
          (await openShifts(db, dialect)).map((s) => s.operatorId),
          ['002'],
          'the closed shift left the open list',
        );
        await assert.rejects(
          sql`update shift_closes set cash_fen = 0 where id = ${closed.id}`.execute(db),
          /cannot change/,
        );
        await assert.rejects(sql`delete from shift_close_orders`.execute(db), /cannot change/);
        const audit = await listAudit(db as unknown as ConsoleDb, { target: `shift:${closed.id}` });
        assert.deepEqual(
          audit.map((a) => a.action),
          ['shift.close'],
        );

        const more = await t.client.recharge({
          ...CASHIER_A,
          cardType: '03',
          cardNo: 'SD-NEXT',
          accountType: '01',
          hisCustId: 'HSD-NEXT',
          userName: '赵六',
          idNo: '',
          amount: '7.00',
          outChargeNo: 'NEXT-1',
          depositType: 'CASH',
          extra: {
            userSex: '1',
            cardZone: '350200',
            idType: '01',
            mobilePhone: '13011111111',
            deskflak: '1',
          },
        });
        assert.equal(more.respCode, '000000', String(more.respMsg));
        const next = await openShiftTotals(db, dialect, CASHIER_A, Date.now() + 1);
        assert.deepEqual([next.orderCount, next.cashFen], [1, 700], 'the next shift starts after the close');
      },
    );

    it(
      'a cashier’s scope is their linked operator; an unlinked cashier sees nothing',
      availability,
      async () => {
        const base = { actor: 'boss', peer: 'local', now: 1_000 };
        await addUser(db as unknown as ConsoleDb, {
          ...base,
          username: 'cash-a',
          role: 'cashier',
          password: 'window seat 01',
        });
        await addUser(db as unknown as ConsoleDb, {
          ...base,
          username: 'cash-b',
          role: 'cashier',
          password: 'window seat 02',
        });
        const session = (username: string, role: 'cashier' | 'finance') => ({
          username,
          role,
          csrfToken: '',
          expiresAt: 0,
        });
        assert.deepEqual(await scopeOf(db, session('cash-a', 'cashier')), { kind: 'none' });
        await linkOperator(db, { ...base, username: 'cash-a', operatorId: CASHIER_A.operatorId });
        assert.deepEqual(await scopeOf(db, session('cash-a', 'cashier')), {
          kind: 'operator',
          operatorId: '001',
        });
        await assert.rejects(
          linkOperator(db, { ...base, username: 'cash-b', operatorId: '001' }),
          /已关联用户 cash-a/,
        );
        await assert.rejects(
          linkOperator(db, { ...base, username: 'cash-b', operatorId: '=cmd' }),
          ReportError,
        );
        assert.deepEqual(await scopeOf(db, session('fin', 'finance')), { kind: 'all' });
        const trail = await listAudit(db as unknown as ConsoleDb, { target: 'user:cash-a' });
        assert.ok(trail.some((a) => a.action === 'user.operator' && a.after === '{"operatorId":"001"}'));
      },
    );

    it('exports a report and a shift to CSV and Excel with the same figures', availability, async () => {
      const day = dayOf(Date.now());
      const rows = await moneyReport(db, dialect, {
        fromDay: day,
        toDay: day,
        period: 'day',
        by: ['channel', 'feeType'],
      });
      const sheet = reportSheet(rows, ['channel', 'feeType'], [`${day} 至 ${day}`]);
      const csv = sheetCsv(sheet);
      assert.ok(csv.startsWith('\uFEFF'));
      assert.match(csv, /期间,支付渠道,费用类型,收款笔数,收款金额,退付笔数,退付金额,净额\r\n/);
      assert.match(csv, new RegExp(`${day},现金,挂号费,2,120\\.00,1,30\\.00,90\\.00\\r\\n`));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await sheetXlsx(sheet)) as unknown as ArrayBuffer);
      const ws = book.worksheets[0];
      assert.ok(ws);
      const total = ws.getRow(ws.rowCount).values as unknown[];
      assert.equal(total[1], '合计');
      assert.equal(total[5], reportTotal(rows).inFen / 100);
      const live = await openShiftTotals(db, dialect, CASHIER_B, Date.now() + 1);
      const shiftCsv = sheetCsv(shiftSheet(CASHIER_B, live, ['操作员 002']));
      assert.match(shiftCsv, /现金,应交现金,,,20\.00,,\r\n/);
      const hostile = sheetCsv({ title: 'x', heading: [], columns: ['a'], rows: [['=HYPERLINK("x")']] });
      assert.match(hostile, /\r\n"'=HYPERLINK\(""x""\)"\r\n$/);
    });
  });
}
