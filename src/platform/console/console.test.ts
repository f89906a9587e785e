import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { changeAccountStatus } from './account-status.js';
import { accountView, findAccounts } from './accounts.js';
import { appendAudit, listAudit } from './audit.js';
import { LOCK_MINUTES, logIn, MAX_FAILURES } from './login.js';
import { searchOrders } from './orders.js';
import { closeSession, findSession } from './sessions.js';
import { consoleDb } from './tables.js';
import { addUser, changeUser, UserError } from './users.js';

const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const card = { ...op, cardType: '03', cardNo: 'CON001', accountType: '01' };
const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111' };
const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;

for (const database of TEST_DATABASES) {
  describe(`console users, sessions, audit and accounts on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    const db = () => consoleDb(t.running.platform.store.db);
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it(
      'refuses weak passwords, bad names and roles, and a second user of one name',
      availability,
      async () => {
        const base = { actor: 'cli', peer: 'local', now: 1_000 };
        await assert.rejects(
          addUser(db(), { ...base, username: 'li', role: 'admin', password: 'short' }),
          /至少 10/,
        );
        await assert.rejects(
          addUser(db(), { ...base, username: 'li', role: 'boss' as 'admin', password: 'long-enough-pw' }),
          /角色/,
        );
        await assert.rejects(
          addUser(db(), { ...base, username: 'a b', role: 'admin', password: 'long-enough-pw' }),
          UserError,
        );
        await addUser(db(), { ...base, username: 'li', role: 'finance', password: 'correct horse 1' });
        await assert.rejects(
          addUser(db(), { ...base, username: 'li', role: 'admin', password: 'another-pass' }),
          /已存在/,
        );
        const row = await db()
          .selectFrom('console_users')
          .selectAll()
          .where('username', '=', 'li')
          .executeTakeFirstOrThrow();
        assert.match(row.password_hash, /^scrypt\$32768\$8\$1\$/);
        assert.doesNotMatch(row.password_hash, /correct horse/);
      },
    );

    it('logs in, finds the session by its cookie id only, and logs out', availability, async () => {
      const now = 2_000_000;
      const ok = await logIn(db(), { username: 'li', password: 'correct horse 1', peer: '127.0.0.1', now });
      assert.ok(ok.ok);
      const session = await findSession(db(), ok.sessionId, now + 1);
      assert.equal(session?.username, 'li');
      assert.equal(session?.role, 'finance');
      const stored = await db().selectFrom('console_sessions').select('id_hash').execute();
      assert.ok(
        stored.every((s) => s.id_hash !== ok.sessionId),
        'the table holds the id’s hash, not the id',
      );
      assert.equal(await findSession(db(), ok.sessionId, session.expiresAt), undefined, 'expired');
      await closeSession(db(), ok.sessionId);
      assert.equal(await findSession(db(), ok.sessionId, now + 2), undefined, 'logged out');
    });

    it(
      `locks a name after ${MAX_FAILURES} wrong passwords, even against the right one, until the lock ends`,
      availability,
      async () => {
        const now = 3_000_000;
        for (let i = 0; i < MAX_FAILURES; i++) {
          const r = await logIn(db(), {
            username: 'li',
            password: `wrong-${i}`,
            peer: '10.0.0.9',
            now: now + i,
          });
          assert.equal(r.ok, false);
        }
        const locked = await logIn(db(), {
          username: 'li',
          password: 'correct horse 1',
          peer: '10.0.0.9',
          now: now + 10,
        });
        assert.equal(locked.ok, false);
        assert.match(locked.ok ? '' : locked.message, /锁定/);
        const later = now + LOCK_MINUTES * 60_000 + 10;
        assert.ok(
          (await logIn(db(), { username: 'li', password: 'correct horse 1', peer: '10.0.0.9', now: later }))
            .ok,
        );
        const unknown = await logIn(db(), {
          username: 'nobody',
          password: 'whatever-1',
          peer: '10.0.0.9',
          now: later,
        });
        assert.deepEqual(
          unknown,
          { ok: false, message: '用户名或密码错误' },
          'an unknown name is answered as a wrong password',
        );
        const trail = await listAudit(db(), { target: 'user:li' });
        const actions = trail.map((a) => a.action).reverse();
        assert.deepEqual(actions.slice(-(MAX_FAILURES + 2)), [
          ...Array(MAX_FAILURES).fill('login.fail'),
          'login.locked',
          'login',
        ]);
      },
    );

    it(
      'an administrator disables, re-enables, re-roles and re-keys a user; the last enabled admin stays',
      availability,
      async () => {
        const who = { actor: 'boss', peer: '127.0.0.1', now: 5_000_000 };
        await addUser(db(), { ...who, username: 'boss', role: 'admin', password: 'head of it 01' });
        await addUser(db(), { ...who, username: 'clerk', role: 'cashier', password: 'window seat 12' });
        const login = await logIn(db(), {
          username: 'clerk',
          password: 'window seat 12',
          peer: 'x',
          now: who.now,
        });
        assert.ok(login.ok);
        await changeUser(db(), { ...who, username: 'clerk', change: { kind: 'disable' } });
        assert.equal(
          await findSession(db(), login.sessionId, who.now + 1),
          undefined,
          'disabling ends the session',
        );
        assert.equal(
          (await logIn(db(), { username: 'clerk', password: 'window seat 12', peer: 'x', now: who.now })).ok,
          false,
        );
        await changeUser(db(), { ...who, username: 'clerk', change: { kind: 'enable' } });
        await changeUser(db(), { ...who, username: 'clerk', change: { kind: 'role', role: 'finance' } });
        const again = await logIn(db(), {
          username: 'clerk',
          password: 'window seat 12',
          peer: 'x',
          now: who.now,
        });
        assert.ok(again.ok);
        assert.equal((await findSession(db(), again.sessionId, who.now + 1))?.role, 'finance');
        await changeUser(db(), {
          ...who,
          username: 'clerk',
          change: { kind: 'password', password: 'a brand new pw' },
        });
        assert.equal(
          await findSession(db(), again.sessionId, who.now + 1),
          undefined,
          'a new password ends old sessions',
        );
        assert.equal(
          (await logIn(db(), { username: 'clerk', password: 'window seat 12', peer: 'x', now: who.now })).ok,
          false,
        );
        assert.ok(
          (await logIn(db(), { username: 'clerk', password: 'a brand new pw', peer: 'x', now: who.now })).ok,
        );
        await assert.rejects(
          changeUser(db(), { ...who, username: 'boss', change: { kind: 'role', role: 'finance' } }),
          /至少须保留一名启用的管理员/,
        );
        await assert.rejects(
          changeUser(db(), { ...who, username: 'boss', change: { kind: 'disable' } }),
          /至少须保留/,
        );
        assert.equal(
          (
            await db()
              .selectFrom('console_users')
              .select('role')
              .where('username', '=', 'boss')
              .executeTakeFirst()
          )?.role,
          'admin',
        );
        const trail = (await listAudit(db(), { target: 'user:clerk' })).map((a) => a.action);
        assert.ok(
          ['user.disable', 'user.enable', 'user.role', 'user.password'].every((a) => trail.includes(a)),
        );
        assert.ok(
          (await listAudit(db(), { target: 'user:clerk' })).every(
            (a) => !(a.after ?? '').includes('brand new'),
          ),
          'no password in the trail',
        );
      },
    );

    it('the audit trail refuses UPDATE and DELETE on the engine itself', availability, async () => {
      await appendAudit(db(), { actor: 'li', action: 'test', target: 'x', peer: 'p', at: 1 });
      await assert.rejects(sql`update console_audit set actor = 'mallory'`.execute(db()), /append-only/);
      await assert.rejects(sql`delete from console_audit`.execute(db()), /append-only/);
      if (database.name === 'postgres')
        await assert.rejects(sql`truncate console_audit`.execute(db()), /append-only/);
      assert.ok((await listAudit(db())).some((a) => a.actor === 'li' && a.action === 'test'));
    });

    it(
      'freeze, restore and close move the status account.info answers; close needs a zero balance; each is audited',
      availability,
      async () => {
        const paid = await t.client.recharge({
          ...card,
          hisCustId: 'HC1',
          userName: '王五',
          amount: '12.00',
          outChargeNo: 'CON-R1',
          depositType: 'CASH',
          extra: { ...opening, deskflak: '1' },
        });
        assert.equal(paid.respCode, '000000', paid.respMsg);
        const [account] = await findAccounts(db(), 'CON001');
        assert.ok(account);
        const act = (action: 'freeze' | 'restore' | 'close' | 'reportLoss', reason = '患者申请') =>
          changeAccountStatus(t.running.platform.store, {
            accountNo: account.account_no,
            action,
            reason,
            actor: 'li',
            peer: '127.0.0.1',
            now: Date.now(),
          });
        assert.deepEqual(await act('freeze', ' '), { ok: false, message: '冻结须填写原因' });
        assert.deepEqual(await act('freeze'), { ok: true });
        assert.equal(p(await t.client.accountInfo(card))['status'], '03');
        const refused = await t.client.recharge({
          ...card,
          hisCustId: 'HC1',
          userName: '王五',
          amount: '1.00',
          outChargeNo: 'CON-R2',
          depositType: 'CASH',
          extra: { ...opening, deskflak: '1' },
        });
        assert.equal(refused.respCode, '031003');
        assert.deepEqual(await act('freeze'), { ok: false, message: '账户当前状态为冻结, 不能冻结' });
        assert.deepEqual(await act('restore'), { ok: true });
        assert.deepEqual(await act('reportLoss'), { ok: true });
        assert.equal(p(await t.client.accountInfo(card))['status'], '02');
        assert.deepEqual(await act('close'), { ok: false, message: '账户仍有余额, 须先退款至零才能注销' });
        const view = await accountView(db(), account.account_no);
        assert.equal(
          view?.journal.at(-1)?.balance_fen,
          1200,
          'the journal’s running balance ends at the cached one',
        );
        assert.deepEqual(
          view?.audit.map((a) => [
            a.action,
            JSON.parse(a.before ?? '{}').status,
            JSON.parse(a.after ?? '{}').status,
          ]),
          [
            ['account.freeze', '01', '03'],
            ['account.restore', '03', '01'],
            ['account.reportLoss', '01', '02'],
          ],
        );
      },
    );

    it(
      'an account page shows the newest entries with running balances walked back from the journal’s total',
      availability,
      async () => {
        for (const [n, amount] of [
          [1, '1.00'],
          [2, '2.00'],
          [3, '4.00'],
        ] as const) {
          const a = await t.client.recharge({
            ...card,
            cardNo: 'CON003',
            hisCustId: 'HC3',
            userName: '孙八',
            amount,
            outChargeNo: `CON-J${n}`,
            depositType: 'CASH',
            extra: { ...opening, deskflak: '1' },
          });
          assert.equal(a.respCode, '000000', a.respMsg);
        }
        const [account] = await findAccounts(db(), 'CON003');
        const view = await accountView(db(), account?.account_no ?? '', 2);
        assert.deepEqual(
          view?.journal.map((j) => [j.delta_fen, j.balance_fen]),
          [
            [200, 300],
            [400, 700],
          ],
        );
        assert.equal(view?.olderEntries, 1);
        assert.equal(view?.journalBalanceFen, 700);
      },
    );

    it('finds orders by trace, merchant number, card and Beijing day', availability, async () => {
      const [order] = await searchOrders(db(), { number: 'CON-R1' });
      assert.ok(order);
      assert.equal((await searchOrders(db(), { number: order.trace_no }))[0]?.out_no, 'CON-R1');
      assert.ok((await searchOrders(db(), { cardNo: 'CON001' })).some((o) => o.trace_no === order.trace_no));
      const day = new Date(order.created_at + 8 * 3_600_000).toISOString().slice(0, 10);
      assert.equal((await searchOrders(db(), { number: 'CON-R1', day })).length, 1);
      assert.equal((await searchOrders(db(), { number: 'CON-R1', day: '2001-01-01' })).length, 0);
      assert.equal(
        (await searchOrders(db(), { number: 'CON%' })).length,
        0,
        'a wildcard is matched literally',
      );
    });
  });
}
