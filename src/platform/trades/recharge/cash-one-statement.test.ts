import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import type { App } from '../../apps/registry.js';
import { findAccount } from '../../ledger/accounts.js';
import type { AccountTable, OrderTable } from '../../store/index.js';
import { newTraceNo } from '../orders.js';
import { settleCashInOneStatement } from './cash-one-statement.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no postgres in TEST_DATABASES');

const opening = { userSex: '2', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const balanceOf = (answer: Record<string, unknown>) => (answer['param'] as Record<string, string>)['balance'];
const patient = (n: number) => ({
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '03',
  cardNo: `ONE${n}`,
  accountType: '01',
  hisCustId: `H${n}`,
  userName: '李四',
  idNo: '',
});

describe('cash recharge in one statement on postgres', async () => {
  const availability = await databaseAvailability(postgres);
  let t: TestPlatform;
  before(async () => {
    if (!availability.skip) t = await startTestPlatform(postgres);
  });
  after(async () => {
    await t?.closeCheckingLedger();
  });

  const cash = (n: number, outChargeNo: string, amount = '1.00') =>
    t.client.recharge({ ...patient(n), amount, outChargeNo, depositType: 'CASH', extra: opening });

  it('concurrent recharges to one account each answer the balance they left', availability, async () => {
    const first = await cash(1, 'ONE1-0');
    assert.equal(first.respCode, '000000', first.respMsg);
    // Thirty at once on one account: most find the balance moved under them and take the
    // transaction path; every answer must still be a distinct running total.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => cash(1, `ONE1-${i + 1}`)));
    for (const a of answers) assert.equal(a.respCode, '000000', a.respMsg);
    const balances = answers.map((a) => Number(balanceOf(a))).sort((x, y) => x - y);
    assert.deepEqual(
      balances,
      Array.from({ length: 30 }, (_, i) => i + 2),
    );
  });

  it('an identical request sent five times at once moves the money once', availability, async () => {
    await cash(2, 'ONE2-0', '5.00');
    const answers = await Promise.all(Array.from({ length: 5 }, () => cash(2, 'ONE2-1', '2.50')));
    for (const a of answers) assert.deepEqual(a, answers[0]);
    assert.equal(balanceOf(answers[0] ?? {}), '7.50');
  });

  async function setUp(n: number): Promise<{ app: App; account: AccountTable; order: OrderTable }> {
    const opened = await cash(n, `ONE${n}-0`, '10.00');
    assert.equal(opened.respCode, '000000', opened.respMsg);
    const platform = t.running.platform;
    const app = await platform.apps.find(t.appid);
    const account = await findAccount(platform.store.db, {
      appid: t.appid,
      cardType: '03',
      cardNo: `ONE${n}`,
      accountType: '01',
    });
    assert.ok(app && account);
    const now = Date.now();
    const order: OrderTable = {
      trace_no: newTraceNo(now),
      appid: t.appid,
      kind: 'recharge',
      out_no: `ONE${n}-1`,
      request_hash: 'h',
      state: 'ing',
      amount_fen: 300,
      channel: 'CASH',
      account_no: account.account_no,
      orig_trace_no: null,
      refunded_fen: 0,
      answer: null,
      detail: '{}',
      term_no: 'T01',
      created_at: now,
      updated_at: now,
      finished_at: null,
      expire_at: now + 60_000,
    };
    return { app, account, order };
  }

  async function counts(accountNo: string) {
    const db = t.running.platform.store.db;
    const orders = await db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_no', '=', accountNo)
      .executeTakeFirstOrThrow();
    const transfers = await db
      .selectFrom('transfers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('credit', '=', `deposit:${accountNo}`)
      .executeTakeFirstOrThrow();
    const account = await db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('account_no', '=', accountNo)
      .executeTakeFirstOrThrow();
    return {
      orders: Number(orders.n),
      transfers: Number(transfers.n),
      balanceFen: Number(account.balance_fen),
    };
  }

  const detail = {
    patient: {
      appid: '',
      cardType: '',
      cardNo: '',
      accountType: '',
      hisCustId: '',
      userName: '',
      idNo: '',
      extra: {},
    },
    subject: '预交金充值',
    param: {},
    history: [],
  };
  const finalOrder =
    (order: OrderTable) =>
    (answer: unknown, accountNo: string): OrderTable => ({
      ...order,
      state: 'succ',
      account_no: accountNo,
      answer: JSON.stringify(answer),
      finished_at: order.created_at,
    });

  it('settles: balance, journal entry and final order together', availability, async () => {
    const { app, account, order } = await setUp(3);
    const before = await counts(account.account_no);
    const outcome = await settleCashInOneStatement(
      t.running.platform,
      app,
      order,
      detail,
      account,
      finalOrder(order),
    );
    assert.equal(outcome.kind, 'settled');
    assert.equal(outcome.kind === 'settled' && balanceOf(outcome.answer), '13.00');
    assert.deepEqual(await counts(account.account_no), {
      orders: before.orders + 1,
      transfers: before.transfers + 1,
      balanceFen: before.balanceFen + 300,
    });
  });

  /** Runs the statement on a changed account or order and checks that nothing was written. */
  async function writesNothing(
    n: number,
    change: (o: { account: AccountTable; order: OrderTable }) => { account: AccountTable; order: OrderTable },
  ) {
    const set = await setUp(n);
    const { account, order } = change(set);
    const before = await counts(set.account.account_no);
    const outcome = await settleCashInOneStatement(
      t.running.platform,
      set.app,
      order,
      detail,
      account,
      finalOrder(order),
    );
    assert.deepEqual(await counts(set.account.account_no), before);
    return outcome.kind;
  }

  it('writes nothing when the balance moved since it was read', availability, async () => {
    const kind = await writesNothing(4, ({ account, order }) => ({
      account: { ...account, balance_fen: account.balance_fen - 1 },
      order,
    }));
    assert.equal(kind, 'balanceMoved');
  });

  it('writes nothing when the merchant number is taken, money included', availability, async () => {
    const kind = await writesNothing(5, ({ account, order }) => ({
      account,
      order: { ...order, out_no: 'ONE5-0' },
    }));
    assert.equal(kind, 'numberTaken');
  });

  /** Settles every set at once (one turn, so one statement) and returns each outcome's kind. */
  async function settleAtOnce(sets: { app: App; account: AccountTable; order: OrderTable }[]) {
    const outcomes = await Promise.all(
      sets.map(({ app, account, order }) =>
        settleCashInOneStatement(t.running.platform, app, order, detail, account, finalOrder(order)),
      ),
    );
    return outcomes.map((o) => o.kind);
  }

  it('the recharges of one turn settle once each; a stale balance writes nothing', availability, async () => {
    const sets = [];
    for (let n = 10; n < 20; n++) sets.push(await setUp(n));
    const stale = sets[3] as (typeof sets)[number];
    sets[3] = { ...stale, account: { ...stale.account, balance_fen: stale.account.balance_fen - 1 } };
    const before = await Promise.all(sets.map((x) => counts(x.account.account_no)));
    const expected = Array(10).fill('settled');
    expected[3] = 'balanceMoved';
    assert.deepEqual(await settleAtOnce(sets), expected);
    for (const [i, x] of sets.entries()) {
      const was = before[i] as Awaited<ReturnType<typeof counts>>;
      const moved = i === 3 ? 0 : 1;
      assert.deepEqual(await counts(x.account.account_no), {
        orders: was.orders + moved,
        transfers: was.transfers + moved,
        balanceFen: was.balanceFen + 300 * moved,
      });
    }
  });

  it('a taken number in a turn fails only its own recharge; the others settle', availability, async () => {
    const sets = [];
    for (let n = 20; n < 26; n++) sets.push(await setUp(n));
    const taken = sets[2] as (typeof sets)[number];
    sets[2] = { ...taken, order: { ...taken.order, out_no: 'ONE22-0' } };
    const before = await counts(taken.account.account_no);
    const kinds = await settleAtOnce(sets);
    assert.deepEqual(kinds, ['settled', 'settled', 'numberTaken', 'settled', 'settled', 'settled']);
    assert.deepEqual(await counts(taken.account.account_no), before);
  });

  it(
    'two recharges to one account in one turn: one settles, the other is told the balance moved',
    availability,
    async () => {
      const one = await setUp(30);
      const second = {
        ...one,
        order: { ...one.order, trace_no: `${one.order.trace_no.slice(0, -1)}x`, out_no: 'ONE30-2' },
      };
      const before = await counts(one.account.account_no);
      assert.deepEqual((await settleAtOnce([one, second])).sort(), ['balanceMoved', 'settled']);
      assert.deepEqual(await counts(one.account.account_no), {
        orders: before.orders + 1,
        transfers: before.transfers + 1,
        balanceFen: before.balanceFen + 300,
      });
    },
  );
});
