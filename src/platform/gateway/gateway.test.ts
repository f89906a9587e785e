import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deriveKeys, type Envelope, sealRequest } from '../../protocol/envelope/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { groupCommit } from '../store/group-commit.js';

const pindata = JSON.stringify({
  transType: 'hop.account.info',
  param: {
    operatorId: '1',
    termNo: 'T',
    operatorName: '王',
    cardType: '03',
    cardNo: 'G1',
    accountType: '01',
  },
});

function flip(base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64');
  const i = at % bytes.length;
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

for (const database of TEST_DATABASES) {
  describe(`the gateway rejects bad envelopes with their code and writes nothing, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => t?.close());

    async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
      const res = await fetch(`${t.running.url}/onepay-web/oneweb/oneapi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    }

    function sealed(over: Partial<{ secret: string; now: number }> = {}): Envelope {
      const keys = deriveKeys(over.secret ?? t.secret, 'SM');
      return sealRequest({
        appid: t.appid,
        suite: 'SM',
        keys,
        plaintext: pindata,
        ...(over.now !== undefined ? { now: over.now } : {}),
      });
    }

    async function nonces(): Promise<number> {
      // Claims of earlier calls may still wait for company in the lazy window.
      await groupCommit(t.running.platform.store).flush();
      const rows = await t.running.platform.store.db.selectFrom('nonce_claims').select('nonce').execute();
      return rows.length;
    }

    it('a good envelope is answered sealed', availability, async () => {
      const { status, json } = await post(sealed());
      assert.equal(status, 200);
      assert.ok(typeof json['ct'] === 'string');
    });

    it(
      'tampered ciphertext → 000001, wrong MAC → 000002, and no nonce is consumed',
      availability,
      async () => {
        const before = await nonces();
        const env = sealed();
        assert.equal((await post({ ...env, ct: flip(env.ct, 5) })).json['respCode'], '000001');
        const mac = env.mac.replace(/^./, env.mac[0] === '0' ? '1' : '0');
        assert.equal((await post({ ...env, mac })).json['respCode'], '000002');
        assert.equal(await nonces(), before);
      },
    );

    it('wrong secret → 010005; unknown appid → 010004; empty appid → 010003', availability, async () => {
      assert.equal((await post(sealed({ secret: 'not-the-secret-at-all' }))).json['respCode'], '010005');
      assert.equal((await post({ ...sealed(), appid: 'nobody' })).json['respCode'], '010004');
      assert.equal((await post({ ...sealed(), appid: '' })).json['respCode'], '010003');
    });

    it('a replayed nonce → 000002; a stale or future timestamp → 010006', availability, async () => {
      const env = sealed();
      assert.equal((await post(env)).status, 200);
      const replay = await post(env);
      assert.equal(replay.json['respCode'], '000002');
      assert.match(String(replay.json['respMsg']), /重放|nonce/);
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await post(sealed({ now: now - 400 }))).json['respCode'], '010006');
      assert.equal((await post(sealed({ now: now + 400 }))).json['respCode'], '010006');
    });

    it('empty body → 000003, not JSON → 000004, oversized → 020002; never a 500', availability, async () => {
      assert.equal((await post('')).json['respCode'], '000003');
      assert.equal((await post('{not json')).json['respCode'], '000004');
      assert.equal((await post('[1,2]')).json['respCode'], '000004');
      const big = await post({ ...sealed(), ct: 'A'.repeat(200_000) });
      assert.equal(big.json['respCode'], '020002');
    });
  });
}
