import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAudit } from '../platform/console/audit.js';
import { logIn } from '../platform/console/login.js';
import { consoleDb } from '../platform/console/tables.js';
import { databaseAvailability, TEST_DATABASES } from '../testing/databases.js';
import { runUserCli } from './user.js';

for (const database of TEST_DATABASES) {
  describe(`onepay user on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    it(
      'creates the first admin with the password read (not an argument), audited as the cli; it can log in',
      availability,
      async () => {
        const store = await database.open();
        try {
          const lines: string[] = [];
          const code = await runUserCli(
            store,
            'add',
            'chief',
            'admin',
            async () => 'first admin pw',
            (l) => lines.push(l),
          );
          assert.equal(code, 0);
          await assert.rejects(
            runUserCli(store, 'add', 'clerk', 'king', async () => 'whatever-long'),
            /--role/,
          );
          await runUserCli(
            store,
            'list',
            undefined,
            undefined,
            async () => '',
            (l) => lines.push(l),
          );
          assert.deepEqual(lines, ['user chief (admin) created', 'chief\tadmin']);
          const db = consoleDb(store.db);
          const [line] = await listAudit(db, { target: 'user:chief' });
          assert.equal(line?.actor, 'cli');
          assert.equal(line?.action, 'user.add');
          const login = await logIn(db, {
            username: 'chief',
            password: 'first admin pw',
            peer: 'test',
            now: Date.now(),
          });
          assert.ok(login.ok);
        } finally {
          await store.close();
        }
      },
    );
  });
}
