import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const GETS = [
  '/console',
  '/console/orders',
  '/console/orders/X',
  '/console/accounts',
  '/console/accounts/A1',
  '/console/queue',
  '/console/audit',
  '/console/users',
  '/console/apps',
  '/console/apps/X',
];
const POSTS = [
  '/console/logout',
  '/console/accounts/A1/status',
  '/console/queue/X',
  '/console/users',
  '/console/users/someone',
  '/console/apps',
  '/console/apps/X/settings',
  '/console/apps/X/channels',
  '/console/apps/X/gateways/alipay',
];

for (const database of TEST_DATABASES) {
  describe(`the console without a session on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(async () => {
      await t?.close();
    });

    it(
      'every page sends to log-in and every action is refused, with no cookie or a forged one',
      availability,
      async () => {
        for (const cookie of [undefined, 'onepay_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
          const headers: Record<string, string> = cookie ? { cookie } : {};
          for (const path of GETS) {
            const res = await fetch(`${t.running.url}${path}`, { headers, redirect: 'manual' });
            assert.equal(res.status, 303, path);
            assert.equal(res.headers.get('location'), '/console/login', path);
          }
          for (const path of POSTS) {
            const res = await fetch(`${t.running.url}${path}`, {
              method: 'POST',
              headers: {
                ...headers,
                'content-type': 'application/x-www-form-urlencoded',
                origin: t.running.url,
              },
              body: 'action=freeze&reason=x&csrf=x',
              redirect: 'manual',
            });
            assert.equal(res.status, 401, path);
          }
        }
      },
    );

    it('the log-in form needs its own token, paired with its cookie', availability, async () => {
      const form = await fetch(`${t.running.url}/console/login`);
      const token = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
      const cookie = String(form.headers.get('set-cookie')).split(';')[0] ?? '';
      assert.ok(token);
      assert.match(cookie, /^onepay_console_login=/);
      const post = (body: string, withCookie: boolean) =>
        fetch(`${t.running.url}/console/login`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: t.running.url,
            ...(withCookie ? { cookie } : {}),
          },
          body,
        });
      assert.equal(
        (await post(`username=x&password=y&csrf=${token}`, false)).status,
        403,
        'token without its cookie',
      );
      assert.equal(
        (await post('username=x&password=y&csrf=other', true)).status,
        403,
        'cookie with another token',
      );
      assert.equal(
        (await post(`username=x&password=y&csrf=${token}`, true)).status,
        401,
        'a pair: the password is checked',
      );
    });
  });
}
