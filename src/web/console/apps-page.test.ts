import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listAudit } from '../../platform/console/audit.js';
import { consoleDb } from '../../platform/console/tables.js';
import { addUser } from '../../platform/console/users.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const PASSWORD = 'a long enough password 1';
const HIS_KEY = 'his-key-never-on-a-page';

function pem(kind: 'private' | 'public'): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return kind === 'private'
    ? privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    : publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

for (const database of TEST_DATABASES) {
  describe(`apps and channels in the console on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    const url = (path: string) => `${t.running.url}${path}`;
    const cookies: Record<string, string> = {};
    const audit = () => listAudit(consoleDb(t.running.platform.store.db), { actor: 'adm' });

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

    const get = (who: string, path: string) => fetch(url(path), { headers: { cookie: cookies[who] ?? '' } });

    /** A form post with the session's CSRF token, read from the page the form is on. */
    async function post(who: string, formPage: string, path: string, fields: Record<string, string>) {
      const page = await (await get(who, formPage)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      return fetch(url(path), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: t.running.url,
          cookie: cookies[who] ?? '',
        },
        body: new URLSearchParams({ ...fields, csrf }).toString(),
      });
    }

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      for (const [username, role] of [
        ['adm', 'admin'],
        ['fin', 'finance'],
        ['cash', 'cashier'],
      ] as const) {
        await addUser(consoleDb(t.running.platform.store.db), {
          username,
          role,
          password: PASSWORD,
          actor: 'test',
          peer: '127.0.0.1',
          now: Date.now(),
        });
        cookies[username] = await logIn(username);
      }
    });
    after(async () => {
      await t?.close();
    });

    it(
      'cashier and finance get 403 on every apps page and action; nothing changes',
      availability,
      async () => {
        const before = await t.running.platform.apps.find(t.appid);
        for (const who of ['cash', 'fin']) {
          for (const path of ['/console/apps', `/console/apps/${t.appid}`])
            assert.equal((await get(who, path)).status, 403, `${who} GET ${path}`);
          for (const path of [
            '/console/apps',
            `/console/apps/${t.appid}/settings`,
            `/console/apps/${t.appid}/channels`,
            `/console/apps/${t.appid}/gateways/alipay`,
          ]) {
            const res = await post(who, '/console', path, { name: 'X', disabled: 'true', ch_CASH: '1' });
            assert.equal(res.status, 403, `${who} POST ${path}`);
          }
          const home = await (await get(who, '/console')).text();
          assert.doesNotMatch(home, /应用与渠道/, 'no menu entry for a role that cannot open it');
        }
        const afterwards = await t.running.platform.apps.find(t.appid);
        assert.deepEqual([...(afterwards?.channels ?? [])], [...(before?.channels ?? [])]);
        assert.equal(afterwards?.config.disabled, before?.config.disabled);
        assert.equal((await t.running.platform.apps.list()).length, 1, 'no app was created');
      },
    );

    it(
      'admin creates a live app with an HIS: the secret is shown once, the HIS key never; audited',
      availability,
      async () => {
        const res = await post('adm', '/console/apps', '/console/apps', {
          name: '第一人民医院',
          hisUrl: 'https://his.example/api',
          hisKey: HIS_KEY,
          ch_CASH: '1',
          ch_ALI_QR: '1',
        });
        assert.equal(res.status, 200);
        const page = await res.text();
        const appid = /<dt>appid<\/dt><dd><code>([^<]+)<\/code>/.exec(page)?.[1] ?? '';
        const secret = /<dt>appsecret<\/dt><dd><code>([^<]+)<\/code>/.exec(page)?.[1] ?? '';
        assert.ok(appid && secret.length >= 16, 'appid and secret shown on creation');
        const app = await t.running.platform.apps.find(appid);
        assert.equal(app?.secret, secret);
        assert.equal(app?.mode, 'live');
        assert.deepEqual([...(app?.channels ?? [])], ['CASH', 'ALI_QR']);
        assert.equal(app?.config.depositProvider?.key, HIS_KEY);
        const list = await (await get('adm', '/console/apps')).text();
        assert.ok(list.includes(appid) && !list.includes(secret), 'the list shows the app, not its secret');
        const one = await (await get('adm', `/console/apps/${appid}`)).text();
        assert.ok(!one.includes(HIS_KEY) && !one.includes(secret), 'the app page shows no secret');
        assert.match(one, /已设置, 留空保持不变/);
        const line = (await audit()).find((a) => a.action === 'app.create');
        assert.ok(line);
        assert.ok(!String(line.after).includes(HIS_KEY) && !String(line.after).includes(secret));
        assert.match(String(line.after), /"key":"已设置"/);
      },
    );

    it(
      'settings: plain http refused in Chinese; a blank key keeps the stored one; disable; audited before/after',
      availability,
      async () => {
        const [created] = (await t.running.platform.apps.list()).filter((a) => a.name === '第一人民医院');
        const appid = created?.appid ?? '';
        const page = `/console/apps/${appid}`;
        const insecure = await post('adm', page, `${page}/settings`, {
          hisUrl: 'http://10.1.2.3/his',
          orderTtlMinutes: '20',
        });
        assert.equal(insecure.status, 409);
        assert.match(await insecure.text(), /不是 https/);
        assert.equal(
          (await t.running.platform.apps.find(appid))?.config.depositProvider?.baseUrl,
          'https://his.example/api',
        );
        const bad = await post('adm', page, `${page}/settings`, { orderTtlMinutes: '0' });
        assert.equal(bad.status, 409, 'the CLI rule: 1 to 1440 minutes');
        const ok = await post('adm', page, `${page}/settings`, {
          hisUrl: 'https://his2.example/api',
          hisKey: '',
          orderTtlMinutes: '20',
          strictParams: 'true',
          disabled: 'true',
        });
        assert.equal(ok.status, 200);
        const app = await t.running.platform.apps.find(appid);
        assert.equal(app?.config.depositProvider?.baseUrl, 'https://his2.example/api');
        assert.equal(app?.config.depositProvider?.key, HIS_KEY, 'blank keeps the stored key');
        assert.equal(app?.config.orderTtlMinutes, 20);
        assert.equal(app?.config.strictParams, true);
        assert.equal(app?.config.disabled, true);
        const line = (await audit()).find((a) => a.action === 'app.settings');
        assert.ok(line);
        assert.match(String(line.before), /"disabled":false/);
        assert.match(String(line.after), /"disabled":true/);
        assert.match(String(line.after), /his2\.example/);
        assert.ok(!`${line.before}${line.after}`.includes(HIS_KEY));
      },
    );

    it('channels: enabled and disabled; an empty set refused', availability, async () => {
      const appid =
        (await t.running.platform.apps.list()).find((a) => a.name === '第一人民医院')?.appid ?? '';
      const page = `/console/apps/${appid}`;
      assert.equal((await post('adm', page, `${page}/channels`, {})).status, 409);
      const ok = await post('adm', page, `${page}/channels`, { ch_POS: '1', ch_WX_QR: '1' });
      assert.equal(ok.status, 200);
      assert.deepEqual([...((await t.running.platform.apps.find(appid))?.channels ?? [])], ['POS', 'WX_QR']);
      const line = (await audit()).find((a) => a.action === 'app.channels');
      assert.equal(line?.before, JSON.stringify(['CASH', 'ALI_QR']));
      assert.equal(line?.after, JSON.stringify(['POS', 'WX_QR']));
    });

    it(
      'merchant credentials: checked by the driver, write-only, a blank field keeps the stored value',
      availability,
      async () => {
        const appid =
          (await t.running.platform.apps.list()).find((a) => a.name === '第一人民医院')?.appid ?? '';
        const page = `/console/apps/${appid}`;
        const privateKey = pem('private');
        const fields = {
          appId: '2021000000000001',
          sellerId: '2088000000000001',
          privateKey,
          alipayPublicKey: pem('public'),
          gatewayUrl: 'https://openapi.alipay.com/gateway.do',
        };
        const malformed = await post('adm', page, `${page}/gateways/alipay`, { ...fields, sellerId: '12' });
        assert.equal(malformed.status, 409);
        assert.match(await malformed.text(), /设置无效: sellerId/);
        assert.equal(await t.running.platform.credentials.get(appid, 'alipay'), undefined);
        assert.equal((await post('adm', page, `${page}/gateways/alipay`, fields)).status, 200);
        const shown = await (await get('adm', page)).text();
        assert.ok(!shown.includes('PRIVATE KEY') && !shown.includes('PUBLIC KEY'), 'no key on the page');
        assert.match(shown, /2088000000000001/, 'identifiers are shown');
        // Only the seller changes: the keys left blank stay.
        const again = await post('adm', page, `${page}/gateways/alipay`, { sellerId: '2088000000000002' });
        assert.equal(again.status, 200);
        const stored = await t.running.platform.credentials.get(appid, 'alipay');
        assert.equal(stored?.['sellerId'], '2088000000000002');
        assert.equal(stored?.['privateKey'], privateKey.trim());
        const lines = (await audit()).filter((a) => a.action === 'app.gateway');
        assert.equal(lines.length, 2);
        for (const l of lines)
          assert.ok(!`${l.before}${l.after}`.includes('KEY-----'), 'keys masked in the trail');
        assert.match(String(lines[0]?.after), /"changed":\["sellerId"\]/);
        assert.match(String(lines[0]?.before), /"privateKey":"已设置"/);
      },
    );

    it('a sandbox app takes no merchant credentials', availability, async () => {
      const page = `/console/apps/${t.appid}`;
      const res = await post('adm', page, `${page}/gateways/alipay`, { appId: '2021000000000001' });
      assert.equal(res.status, 409);
      assert.match(await res.text(), /沙箱应用/);
    });
  });
}
