import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelAdapter, ChannelResult, PaymentRef } from '../platform/channels/types.js';
import { BARCODE_POLL_INTERVAL_MS, BARCODE_POLL_MAX } from '../protocol/timeouts.js';
import { databaseAvailability, TEST_DATABASES, type TestDatabase } from '../testing/databases.js';
import { cashRecharge } from '../testing/params.js';
import { startTestPlatform } from '../testing/platform.js';

/** How long the gateway takes to answer the last poll: a real gateway is not instant. */
const LAST_ANSWER_MS = 500;

/**
 * The sandbox, except that a barcode payment keeps "paying" until the last of
 * the platform's polls, whose answer takes LAST_ANSWER_MS: the patient typed
 * the password at the last moment.
 */
function paidAtLastPoll(sandbox: ChannelAdapter): ChannelAdapter {
  const polls = new Map<string, number>();
  const wrapper: ChannelAdapter = Object.create(sandbox);
  wrapper.query = async (ref: PaymentRef): Promise<ChannelResult> => {
    const n = (polls.get(ref.traceNo) ?? 0) + 1;
    polls.set(ref.traceNo, n);
    // The sandbox's password code (last digit 7) pays on its own second query: asked at the
    // last two polls only.
    if (n < BARCODE_POLL_MAX - 1) return { state: 'pending', message: '需要用户输入支付密码' };
    if (n === BARCODE_POLL_MAX) await new Promise((r) => setTimeout(r, LAST_ANSWER_MS));
    return sandbox.query(ref);
  };
  return wrapper;
}

async function payAtLastPoll(database: TestDatabase): Promise<void> {
  // The platform's own polling budget, not a test-sized one: this is what a HIS meets.
  const t = await startTestPlatform(database);
  try {
    const platform = t.running.platform;
    platform.channels.useSandbox(paidAtLastPoll(await platform.channelFor(t.appid, 'WX_BAR')));
    const started = Date.now();
    const base = cashRecharge('BAR1', `BAR-${database.name}`, '8.00');
    const answer = await t.client.recharge({
      ...base,
      depositType: 'WX_BAR',
      extra: { ...(base['extra'] as object), authCode: '134567890123456787' },
    });
    const waited = Date.now() - started;
    assert.equal(answer.respCode, '000000', `${database.name}: ${answer.respCode} ${answer.respMsg}`);
    assert.equal((answer['param'] as Record<string, string>)['tradeMode'], 'WX_BAR');
    assert.ok(
      waited >= BARCODE_POLL_MAX * BARCODE_POLL_INTERVAL_MS,
      `${database.name}: answered after ${waited} ms, before the last poll`,
    );
    await t.assertLedger();
  } finally {
    await t.close();
  }
}

describe('a barcode payment paid at the last poll reaches the HIS as paid, not as -3', () => {
  it('on SQLite and PostgreSQL at once (each waits the full polling budget)', async () => {
    const runs: Promise<void>[] = [];
    for (const database of TEST_DATABASES) {
      const availability = await databaseAvailability(database);
      if (!availability.skip) runs.push(payAtLastPoll(database));
    }
    await Promise.all(runs);
  });
});
