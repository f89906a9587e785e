import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleDb } from '../../platform/console/tables.js';
import { addUser } from '../../platform/console/users.js';
import { beijingDayBounds } from '../../platform/reconcile/day.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const PASSWORD = 'a long enough password 1';
const DAY = '2026-11-29';

for (const database of TEST_DATABASES) {
  describe(`the reconciliation page on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    const url = (path: string) => `${t.running.url}${path}`;

    async function logIn(username: string): Promise<string> {
      const form = await fetch(url('/console/login'));
      const token = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const loginCookie = String(form.headers.get('set-cookie')).split(';')[0] ?? '';
      const res = await fetch(url('/console/login'), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: t.running.url,
          cookie: loginCookie,
        },
        body: new URLSearchParams({ username, password: PASSWORD, csrf: token }).toString(),
        redirect: 'manual',
      });
      const session = (res.headers.getSetCookie() ?? []).find((c) => c.startsWith('onepay_console='));
      assert.ok(session, `logged in as ${username}`);
      return session.split(';')[0] ?? '';
    }

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const now = Date.now();
      for (const [username, role] of [
        ['fin', 'finance'],
        ['cash', 'cashier'],
      ] as const)
        await addUser(consoleDb(t.running.platform.store.db), {
          username,
          role,
          password: PASSWORD,
          actor: 'test',
          peer: '127.0.0.1',
          now,
        });
      const at = beijingDayBounds(DAY).from + 60_000;
      await t.running.platform.store.db
        .insertInto('sandbox_payments')
        .values({
          trace_no: 'PAGEGHOST',
          appid: t.appid,
          channel: 'ALI_QR',
          amount_fen: 321,
          subject: 's',
          term_no: 'T1',
          token: null,
          state: 'success',
          scenario: 'wallet',
          queries: 0,
          paid_channel: 'ALI_QR',
          channel_trade_no: 'ALI-PAGE-1',
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
    });
    after(async () => {
      await t?.close();
    });

    it(
      'finance runs a day from the page, sees the 长款 with its order link, and marks it handled; a cashier cannot open it',
      availability,
      async () => {
        const cookie = await logIn('fin');
        const view = await fetch(url(`/console/reconcile?appid=${t.appid}&day=${DAY}`), {
          headers: { cookie },
        });
        assert.equal(view.status, 200);
        const html = await view.text();
        assert.match(html, /该日尚未对账/);
        const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
        const post = (path: string, fields: Record<string, string>) =>
          fetch(url(path), {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.running.url, cookie },
            body: new URLSearchParams({ ...fields, csrf }).toString(),
          });
        const ran = await post('/console/reconcile/run', { appid: t.appid, day: DAY, hisCsv: '' });
        assert.equal(ran.status, 200);
        const after = await ran.text();
        assert.match(after, /对账完成: 差异 1 条/);
        assert.match(after, /长款/);
        assert.match(after, /href="\/console\/orders\/PAGEGHOST"/);
        assert.match(after, /3\.21/);
        const queued = await (await fetch(url('/console/queue'), { headers: { cookie } })).text();
        assert.match(queued, new RegExp(`${t.appid} ${DAY}</a>: 差异 1 条待处理`));
        const bad = await post('/console/reconcile/run', { appid: t.appid, day: DAY, hisCsv: 'x,y\n1,2' });
        assert.equal(bad.status, 409);
        assert.match(await bad.text(), /表头/);
        const resolved = await post('/console/reconcile/resolve', {
          appid: t.appid,
          day: DAY,
          kind: 'long',
          source: 'channel',
          refNo: 'ALI-PAGE-1',
          note: '渠道误收, 已原路退回',
        });
        assert.equal(resolved.status, 200);
        const page = await resolved.text();
        assert.match(page, /差异已处理/);
        assert.match(page, /渠道误收, 已原路退回/);
        const cleared = await (await fetch(url('/console/queue'), { headers: { cookie } })).text();
        assert.doesNotMatch(cleared, /对账差异/, 'a decided difference leaves the queue');
        const cashier = await logIn('cash');
        const refused = await fetch(url('/console/reconcile'), {
          headers: { cookie: cashier },
          redirect: 'manual',
        });
        assert.equal(refused.status, 403);
      },
    );
  });
}
