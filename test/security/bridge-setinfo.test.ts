/**
 * The attack: any local process POSTs hop.trade.setinfo to the payclient
 * bridge and re-points the workstation at another server and secret. The
 * bridge now takes setinfo only with the local token (a file the
 * workstation's user alone can read) or when started with --allow-setinfo.
 * End to end: the real library behind the bridge, its real settings file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Bridge, startBridge } from '../../src/bridge/server.js';

const home = mkdtempSync(join(tmpdir(), 'onepay-bridge-setinfo-'));
process.env['PAYCLIENT_HOME'] = home;
const settings = join(home, 'config.json');
const TOKEN = 'local-setinfo-token-0123456789abcdef';
const ORIGINAL = {
  serveraddr: 'https://pay.hospital.example/onepay-web/oneweb/oneapi',
  appid: 'his1',
  appsecret: 'the-hospital-secret-0123456789',
};

function setinfo(serveraddr: string): string {
  return JSON.stringify({
    transType: 'hop.trade.setinfo',
    param: { serveraddr, appid: 'evil', appsecret: 'evil-secret-0123456789', operatorName: 'x' },
  });
}

async function post(bridge: Bridge, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${bridge.port}/payTrans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, answer: JSON.parse(await res.text()) as Record<string, unknown> };
}

describe('bridge setinfo from another local process', () => {
  let bridge: Bridge;
  before(async () => {
    writeFileSync(settings, JSON.stringify(ORIGINAL));
    bridge = await startBridge({ port: 0, setinfoToken: TOKEN });
  });
  after(async () => {
    await bridge.close();
  });

  it('without the token, in any spelling, is refused (-7) and the settings file is untouched', async () => {
    const before = readFileSync(settings);
    for (const body of [
      setinfo('http://attacker.example/api'),
      setinfo('http://attacker.example/api').replace('hop.trade.setinfo', 'hop. trade. setinfo'),
    ]) {
      const refused = await post(bridge, body);
      assert.equal(refused.status, 403);
      assert.equal(refused.answer['respCode'], '-7');
    }
    const guessed = await post(bridge, setinfo('http://attacker.example/api'), {
      'x-payclient-setinfo-token': 'guess',
    });
    assert.equal(guessed.answer['respCode'], '-7');
    assert.deepEqual(readFileSync(settings), before, 'config.json is byte for byte what it was');
  });

  it('with the local token it re-points the workstation', async () => {
    const taken = await post(bridge, setinfo('https://pay2.hospital.example/api'), {
      'x-payclient-setinfo-token': TOKEN,
    });
    assert.equal(taken.answer['respCode'], '000000', String(taken.answer['respMsg']));
    assert.match(readFileSync(settings, 'utf8'), /pay2\.hospital\.example/);
  });
});
