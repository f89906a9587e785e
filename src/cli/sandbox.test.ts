import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { SandboxChannels } from '../platform/channels/sandbox/index.js';
import { openStore, type Store } from '../platform/store/index.js';
import { registerSandboxRoutes } from '../web/sandbox/routes.js';
import { runSandboxCli } from './sandbox.js';

describe('onepay sandbox pay', () => {
  let store: Store;
  let app: FastifyInstance;
  let sandbox: SandboxChannels;
  let base = '';
  const notified: string[] = [];
  let n = 0;

  before(async () => {
    store = await openStore('sqlite::memory:');
    sandbox = new SandboxChannels({
      store,
      publicUrl: () => base,
      clock: Date.now,
      notify: async (traceNo) => {
        notified.push(traceNo);
      },
    });
    app = Fastify();
    registerSandboxRoutes(app, sandbox);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  async function qrcode(channel: string): Promise<string> {
    const r = await sandbox.pay({
      traceNo: `TCLI${++n}`,
      appid: 'app1',
      channel,
      amountFen: 1,
      subject: '预交金充值',
      termNo: 'T01',
      extra: {},
      expireAt: Date.now() + 60_000,
    });
    assert.ok(r.qrcode);
    return r.qrcode;
  }

  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runSandboxCli(argv, {
      out: (line) => {
        out += `${line}\n`;
      },
      err: (line) => {
        err += `${line}\n`;
      },
    });
    return { code, out, err };
  }

  it('pays a QR code, prints the JSON answer, exits 0; paying again exits 1', async () => {
    const url = await qrcode('ONE_QR');
    const paid = await run(['pay', url, '--wallet', 'wechat']);
    assert.equal(paid.code, 0, paid.err);
    const answer = JSON.parse(paid.out);
    assert.equal(answer.state, 'success');
    assert.equal(answer.paidChannel, 'WX_QR');
    assert.equal(answer.amount, '0.01');
    assert.deepEqual(notified, ['TCLI1']);
    const again = await run(['pay', url]);
    assert.equal(again.code, 1);
    assert.equal(JSON.parse(again.out).refusal, 'paid');
  });

  it('--fail fails the payment and exits 0; the default wallet is the channel’s own', async () => {
    const failed = await run(['pay', await qrcode('ALI_QR'), '--fail']);
    assert.equal(failed.code, 0);
    assert.equal(JSON.parse(failed.out).state, 'fail');
    const byDefault = await run(['pay', `${await qrcode('UP_QR')}/`]);
    assert.equal(byDefault.code, 0, byDefault.err);
    assert.equal(JSON.parse(byDefault.out).paidChannel, 'UP_QR');
  });

  it('bad usage exits 2 with the usage text; an unreachable platform exits 1', async () => {
    const url = await qrcode('WX_QR');
    for (const argv of [
      [],
      ['pay'],
      ['refund', url],
      ['pay', 'not a url'],
      ['pay', 'http://127.0.0.1/elsewhere'],
      ['pay', url, '--wallet', 'paypal'],
      ['pay', url, '--bogus'],
      ['pay', url, url],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /usage|--wallet|not a/, argv.join(' '));
    }
    const down = await run(['pay', 'http://127.0.0.1:9/q/AAAAAAAAAAAAAAAAAAAAAAAA']);
    assert.equal(down.code, 1);
    assert.match(down.err, /cannot reach/);
  });
});
