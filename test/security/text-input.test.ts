/**
 * NUL, other control characters and lone surrogates in any field are refused
 * with 020000 naming the field, before anything is stored: on PostgreSQL a
 * NUL used to end in 999999, and a card number with a lone surrogate matched
 * another patient's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerCode, seal } from '../../bench/lib/requests.js';
import { API_PATH } from '../../src/platform/http.js';
import { validatePindata } from '../../src/protocol/validate.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const BAD: readonly [string, string][] = [
  ['NUL', 'A\u0000B'],
  ['BEL', 'A\u0007B'],
  ['ESC', '\u001b[31m'],
  ['DEL', 'A\u007f'],
  ['lone high surrogate', 'A\ud800B'],
  ['lone low surrogate', 'A\udc00'],
];

describe('control characters and lone surrogates, as validation sees them', () => {
  for (const [what, text] of BAD) {
    it(`${what} in a table field, an extra key's value and an extra key: 020000 naming it`, () => {
      for (const [param, field] of [
        [{ ...cashRecharge('V1', 'V1-C', '1.00'), cardNo: text }, 'param.cardNo'],
        [{ ...cashRecharge('V1', 'V1-C', '1.00'), extra: { deskflak: '1', note: text } }, 'param.extra.note'],
        [{ ...cashRecharge('V1', 'V1-C', '1.00'), extra: { deskflak: '1', [text]: 'x' } }, 'param.extra'],
      ] as const) {
        const checked = validatePindata({ transType: 'hop.trade.recharge', param });
        assert.equal(checked.ok, false, what);
        if (!checked.ok) {
          assert.equal(checked.answer.respCode, '020000');
          assert.ok(checked.answer.respMsg.includes(field), `${checked.answer.respMsg} names ${field}`);
        }
      }
    });
  }

  it('tab, line feed, carriage return and real astral characters (a surrogate pair) stay allowed', () => {
    const param = {
      ...cashRecharge('V2', 'V2-C', '1.00'),
      userName: '𠮷野家',
      extra: { deskflak: '1', note: 'a\tb\r\nc' },
    };
    const checked = validatePindata({ transType: 'hop.trade.recharge', param });
    assert.equal(checked.ok, true, checked.ok ? '' : checked.answer.respMsg);
  });
});

for (const database of TEST_DATABASES) {
  describe(`control characters and lone surrogates through the API, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it('refused with 020000 and nothing stored', availability, async () => {
      const creds = { appid: t.appid, secret: t.secret, suite: 'SM' as const };
      for (const [i, [what, text]] of BAD.entries()) {
        // Sealed here, past the client's own validation: the platform must refuse it by itself.
        const param = { ...cashRecharge(`N${i}`, `NUL-${i}`, '1.00'), cardNo: text };
        const sealed = seal(creds, JSON.stringify({ transType: 'hop.trade.recharge', param }));
        const reply = await fetch(`${t.running.url}${API_PATH}`, {
          method: 'POST',
          body: sealed.body.toString('utf8'),
        });
        const code = answerCode(creds, Buffer.from(await reply.arrayBuffer()), sealed.nonce);
        assert.equal(code, '020000', what);
      }
      const rows = await t.running.platform.store.db.selectFrom('orders').select('trace_no').execute();
      assert.equal(rows.length, 0);
      const accounts = await t.running.platform.store.db
        .selectFrom('accounts')
        .select('account_no')
        .execute();
      assert.equal(accounts.length, 0);
    });
  });
}
