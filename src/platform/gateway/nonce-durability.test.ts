/**
 * The promise of gateway/nonces.ts on SQLite: a claim rides in the group
 * commit instead of waiting for an fsync of its own, yet by the time an
 * answer confirming money moved arrives, the claim guarding it is on disk
 * (seen by another connection, which reads only what was committed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { groupCommit } from '../store/group-commit.js';

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');

describe('nonce claims on SQLite are durable before a money answer', () => {
  let t: TestPlatform;
  let peer: Database.Database;
  before(async () => {
    if (!sqlite) throw new Error('no sqlite test database');
    t = await startTestPlatform(sqlite);
    peer = new Database(t.running.platform.store.where.slice('sqlite:'.length), { readonly: true });
  });
  after(async () => {
    peer?.close();
    await t?.close();
  });

  const committedClaims = () =>
    (peer.prepare('select count(*) as n from nonce_claims').get() as { n: number }).n;

  it('a cash recharge answered 000000 has its claim committed, with no flush', async () => {
    for (let i = 0; i < 20; i++) {
      // Earlier calls' lazy claims committed, so the count below is this call's alone.
      await groupCommit(t.running.platform.store).flush();
      const before = committedClaims();
      const answer = await t.client.recharge({
        operatorId: '001',
        termNo: 'T01',
        operatorName: '张三',
        cardType: '03',
        cardNo: `DUR${i}`,
        accountType: '01',
        hisCustId: `HD${i}`,
        userName: '李四',
        idNo: '',
        amount: '1.00',
        outChargeNo: `DUR-${i}`,
        depositType: 'CASH',
        extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' },
      });
      assert.equal(answer.respCode, '000000', answer.respMsg);
      assert.equal(committedClaims(), before + 1, `recharge ${i}: answered before its claim was committed`);
    }
  });
});
