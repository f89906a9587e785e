import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { screenPath } from '../../src/web/screen/key.js';

const ROUTE = '/screen/:termNo/status';

/** onepay_open_streams of the screen's status route in a scrape (0 when absent). */
async function openStreams(t: TestPlatform): Promise<number> {
  const text = await (await fetch(`${t.running.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`onepay_open_streams{route="${ROUTE}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function until(what: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const database of TEST_DATABASES) {
  describe(`/metrics counts the live streams of the extension screens on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(() => t?.close());

    it('a screen streaming its status is one open stream until it goes away', availability, async () => {
      const app = await t.running.platform.apps.find(t.appid);
      assert.ok(app);
      const status = screenPath(app, 'T07').replace('/screen/T07?', '/screen/T07/status?');
      const before = await openStreams(t);
      const streams = [new AbortController(), new AbortController()];
      for (const abort of streams) {
        const response = await fetch(`${t.running.url}${status}`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
        // The first event arrived: the stream is live.
        const reader = response.body?.getReader();
        assert.ok((await reader?.read())?.value);
      }
      assert.equal(await openStreams(t), before + 2);
      for (const abort of streams) abort.abort();
      await until(async () => (await openStreams(t)) === before);
    });
  });
}
