import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderReference } from './reference.js';

test('docs/reference.md is the fresh rendering of the catalog (run `npm run docs`)', () => {
  const committed = readFileSync(new URL('../../../docs/reference.md', import.meta.url), 'utf8');
  assert.ok(committed === renderReference(), 'docs/reference.md is stale: run `npm run docs`');
});
