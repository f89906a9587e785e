import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerHome } from './routes.js';

describe('the platform front page', () => {
  it('/ links health, the operator page and every guide; a guide opens by its own name only', async () => {
    const app = Fastify();
    registerHome(app);
    const home = await app.inject({ url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(String(home.headers['content-type']), /^text\/html/);
    assert.match(String(home.headers['content-security-policy']), /script-src 'self'/);
    assert.match(home.body, /href="\/health"/);
    assert.match(home.body, /href="\/ops\/notify"/);
    assert.match(home.body, /<a href="\/docs\/cashier-desk\.md">Cashier desk/);
    assert.match(home.body, /href="\/docs\/reference\.md"/);
    assert.ok(home.body.length < 8_000, `a small page (${home.body.length} bytes)`);

    const guide = await app.inject({ url: '/docs/cashier-desk.md' });
    assert.equal(guide.statusCode, 200);
    assert.match(guide.body, /^# Cashier desk/);
    for (const name of ['constructor', '__proto__', 'toString', '..%2Fpackage.json', 'test-vectors.json']) {
      assert.equal((await app.inject({ url: `/docs/${name}` })).statusCode, 404, name);
    }
    await app.close();
  });
});
