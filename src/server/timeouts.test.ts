import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultAnswerTimeoutMs } from '../bridge/server.js';
import { DEFAULT_DESK_TIMEOUT_MS } from '../client/desk.js';
import { buildHttp } from '../platform/http.js';
import {
  BARCODE_POLL_INTERVAL_MS,
  BARCODE_POLL_MAX,
  CLIENT_ANSWER_TIMEOUT_MS,
  CLIENT_KEEP_ALIVE_MS,
  LONGEST_PLATFORM_CALL_MS,
  MARGIN_MS,
  SERVER_CALL_TIMEOUT_MS,
  SERVER_KEEP_ALIVE_MS,
} from '../protocol/timeouts.js';
import { TEST_DATABASES } from '../testing/databases.js';
import { startTestPlatform } from '../testing/platform.js';

/** A `#define NAME value` of the DLL's source: its defaults are C, so the test reads them there. */
function dllDefine(name: string): number {
  const source = readFileSync('native/payclient/host_win.c', 'utf8');
  const m = new RegExp(`#define ${name} (\\d+)`).exec(source);
  assert.ok(m, `native/payclient/host_win.c defines ${name}`);
  return Number(m[1]);
}

describe('every timeout on the road sits above what it waits for', () => {
  it('barcode budget < server < client (and the DLL, its equal) < bridge, each by at least the margin', () => {
    // The DLL speaks to the platform itself, like the Node client: the same bound, from the same figures.
    assert.equal(dllDefine('DEFAULT_ANSWER_TIMEOUT_MS'), CLIENT_ANSWER_TIMEOUT_MS);
    assert.match(
      readFileSync('native/payclient/payclient.ini', 'utf8'),
      new RegExp(`answer_timeout_ms=${CLIENT_ANSWER_TIMEOUT_MS}\\b`),
    );
    assert.equal(dllDefine('DEFAULT_DESK_TIMEOUT_MS'), DEFAULT_DESK_TIMEOUT_MS);
    const chain = [
      ['barcode polling budget', BARCODE_POLL_MAX * BARCODE_POLL_INTERVAL_MS],
      ['longest platform call', LONGEST_PLATFORM_CALL_MS],
      ['platform server', SERVER_CALL_TIMEOUT_MS],
      ['Node client and DLL', CLIENT_ANSWER_TIMEOUT_MS],
      ['bridge (desk wait included)', defaultAnswerTimeoutMs({})],
    ] as const;
    for (let i = 1; i < chain.length; i++) {
      const [below, low] = chain[i - 1] ?? ['', 0];
      const [above, high] = chain[i] ?? ['', 0];
      assert.ok(
        high - low >= MARGIN_MS,
        `${above} (${high} ms) must exceed ${below} (${low} ms) by ${MARGIN_MS} ms`,
      );
    }
    assert.ok(defaultAnswerTimeoutMs({}) >= DEFAULT_DESK_TIMEOUT_MS + CLIENT_ANSWER_TIMEOUT_MS + MARGIN_MS);
    assert.ok(
      defaultAnswerTimeoutMs({ PAYCLIENT_DESK_TIMEOUT_MS: '0' }) >= CLIENT_ANSWER_TIMEOUT_MS + MARGIN_MS,
    );
    assert.ok(
      CLIENT_KEEP_ALIVE_MS < SERVER_KEEP_ALIVE_MS,
      'the client drops an idle socket before the server does',
    );
  });

  it('the platform polls barcodes with the budget the chain is built on', async () => {
    const t = await startTestPlatform(TEST_DATABASES[0]!);
    try {
      const { settings } = t.running.platform;
      assert.equal(settings.barcodePollIntervalMs, BARCODE_POLL_INTERVAL_MS);
      assert.equal(settings.barcodePollMax, BARCODE_POLL_MAX);
      const app = buildHttp(t.running.platform);
      try {
        assert.equal(app.server.timeout, SERVER_CALL_TIMEOUT_MS);
        assert.equal(app.server.keepAliveTimeout, SERVER_KEEP_ALIVE_MS);
      } finally {
        await app.close();
      }
    } finally {
      await t.close();
    }
  });
});
