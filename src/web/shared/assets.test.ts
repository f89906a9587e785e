import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { loadAssets, registerAssets } from './assets.js';
import { ASSET_PREFIX } from './html.js';

const BROWSER_DIR = join('src', 'web', 'browser');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('browser assets', () => {
  const assets = loadAssets();

  it('every file of src/web/browser is served, and nothing else', () => {
    assert.deepEqual([...assets.keys()].sort(), readdirSync(BROWSER_DIR).sort());
  });

  it('every module a script imports is itself served', () => {
    for (const [name, asset] of assets) {
      for (const match of asset.body.matchAll(/from '\.\/([^']+)'/g)) {
        assert.ok(assets.has(match[1] ?? ''), `${name} imports ${match[1]}, which is not served`);
      }
    }
  });

  it('every script and stylesheet a page names is served', () => {
    const named = new Set<string>(['cashier.css']);
    for (const file of sourceFiles(join('src', 'web'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/script: '([^']+)'/g)) named.add(m[1] ?? '');
      for (const m of text.matchAll(/\$\{ASSET_PREFIX\}\/([\w.-]+)/g)) named.add(m[1] ?? '');
    }
    assert.ok(named.has('desk.js') && named.has('ops.js'), [...named].join(', '));
    for (const name of named) assert.ok(assets.has(name), `${name} is named by a page but not served`);
  });

  it('looks names up by own key: constructor, __proto__ and toString are 404; a script is JavaScript', async () => {
    const app = Fastify();
    registerAssets(app);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '..%2Fdesk%2Fpage.ts']) {
      const res = await app.inject({ url: `${ASSET_PREFIX}/${name}` });
      assert.equal(res.statusCode, 404, name);
    }
    const desk = await app.inject({ url: `${ASSET_PREFIX}/desk.js` });
    assert.equal(desk.statusCode, 200);
    assert.match(String(desk.headers['content-type']), /^text\/javascript/);
    assert.match(desk.body, /import \{[^}]*deskControls[^}]*\} from '\.\/common\.js'/);
    const css = await app.inject({ url: `${ASSET_PREFIX}/cashier.css` });
    assert.match(css.body, /\.sandbox-banner\{/, 'the shared banner rule is part of the stylesheet');
    await app.close();
  });

  it('a folder without the assets is refused at start with how to build them', () => {
    assert.throws(
      () => loadAssets(new URL('./no-such-folder/', import.meta.url)),
      /cashier\.css .*npm run build/,
    );
  });

  it('the pages have one HTML escaper', () => {
    const escapers = sourceFiles('src').filter((file) => /replace\(\/\[&<>/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(
      escapers.map((f) => relative('.', f)),
      [join('src', 'web', 'shared', 'html.ts')],
    );
  });
});
