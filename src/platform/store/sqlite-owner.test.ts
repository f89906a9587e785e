import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { holdSqliteOwnership } from './sqlite-owner.js';

const HOLD_IN_CHILD = `
  import { holdSqliteOwnership } from ${JSON.stringify(new URL('./sqlite-owner.ts', import.meta.url).href)};
  try { holdSqliteOwnership(process.argv[1]); console.log('held'); } catch (e) { console.log(e.message); }
`;

function holdFromAnotherProcess(path: string): string {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', HOLD_IN_CHILD, path],
    {
      encoding: 'utf8',
    },
  );
  return child.stdout.trim();
}

test('a second process cannot serve a SQLite file that one serves, and can once it is released', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'onepay-owner-')), 'onepay.db');
  const held = holdSqliteOwnership(path);
  try {
    assert.match(holdFromAnotherProcess(path), /another onepay platform is already serving .*onepay\.db/);
  } finally {
    held.release();
  }
  assert.equal(holdFromAnotherProcess(path), 'held');
});
