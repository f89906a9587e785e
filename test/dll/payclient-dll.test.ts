import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { PayClient } from '../../src/client/index.js';
import {
  keysFromSecret,
  openEnvelope,
  parseEnvelope,
  sealResponse,
} from '../../src/protocol/envelope/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import {
  type Arch,
  availability,
  BUILD,
  buildDlls,
  exportsOf,
  installDll,
  mingwProblem,
  objdump,
  startWine,
  type Wine,
  wineCommand,
  winPath,
} from './harness.js';
import { checkVectors } from './vectors.js';

// One file for build, export and wine tests: the build writes build/native/, and two
// test processes building at once would overwrite each other's DLLs.
const mingw = availability('payclient.dll build tests', mingwProblem());

describe('payclient.dll as built', mingw, () => {
  before(() => buildDlls());

  it('64-bit exports exactly payTrans and payTransEx', () => {
    assert.deepEqual([...exportsOf('x64').keys()].sort(), ['payTrans', 'payTransEx']);
  });

  it('32-bit exports payTrans, payTransEx, payTrans@8 and _payTrans@8, the decorated names on the same function', () => {
    const names = exportsOf('x86');
    assert.deepEqual([...names.keys()].sort(), ['_payTrans@8', 'payTrans', 'payTrans@8', 'payTransEx']);
    assert.equal(names.get('_payTrans@8'), names.get('payTrans'));
    assert.equal(names.get('payTrans@8'), names.get('payTrans'));
  });

  it('32-bit functions are __stdcall: the callee pops its arguments (ret $0x8, ret $0xc)', () => {
    const names = exportsOf('x86');
    const base = BigInt(`0x${/ImageBase\s+([0-9a-f]+)/.exec(objdump('x86', 'payclient.dll', '-p'))![1]}`);
    for (const [name, pops] of [
      ['payTrans', '0x8'],
      ['payTransEx', '0xc'],
    ] as const) {
      const start = base + BigInt(`0x${names.get(name)}`);
      const text = objdump(
        'x86',
        'payclient.dll',
        '-d',
        `--start-address=0x${start.toString(16)}`,
        `--stop-address=0x${(start + 0x400n).toString(16)}`,
      );
      const firstReturn = /\tret\b.*$/m.exec(text)?.[0];
      assert.match(firstReturn ?? '(no ret)', new RegExp(`ret\\s+\\$${pops}$`), `${name}: ${firstReturn}`);
    }
  });

  for (const arch of ['x64', 'x86'] as Arch[]) {
    it(`${arch}: the DLL needs only what every Windows has (no runtime, no libgcc or pthread DLL beside it)`, () => {
      const dlls = [...objdump(arch, 'payclient.dll', '-p').matchAll(/DLL Name: (\S+)/g)].map((m) =>
        m[1]!.toUpperCase(),
      );
      assert.deepEqual([...new Set(dlls)].sort(), [
        'ADVAPI32.DLL',
        'BCRYPT.DLL',
        'KERNEL32.DLL',
        'MSVCRT.DLL',
        'WINHTTP.DLL',
      ]);
    });
  }
});

const wineSuite = mingw.skip
  ? mingw
  : availability(
      'payclient.dll tests under wine',
      wineCommand('x64') ? null : 'wine not found (wine64 or wine)',
    );

/** One prefix for the file: its boot is most of the cost. */
let shared: Promise<Wine> | undefined;
function sharedWine(): Promise<Wine> {
  shared ??= (async () => {
    const wine = await startWine(120_000);
    console.log(`wine: new prefix booted in ${wine.bootMs} ms`);
    return wine;
  })();
  return shared;
}
after(async () => (await shared)?.close());

const EXE = () => join(BUILD, 'x64', 'payclient_test.exe');

describe('payclient.dll C envelope under wine64, AES through Windows CNG', wineSuite, () => {
  it('passes every vector of docs/test-vectors.json, both suites', async () => {
    buildDlls();
    const wine = await sharedWine();
    const dir = mkdtempSync(join(tmpdir(), 'onepay-vectors-'));
    try {
      const cli = async (args: string[]) =>
        (await wine.run('x64', join(BUILD, 'x64', 'envelope_cli.exe'), args, 60_000)).stdout;
      assert.ok((await checkVectors(cli, dir, winPath)) >= 40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bounded fuzz of GBK and JSON edges through payTrans and payTransEx never writes past the buffer', async () => {
    buildDlls();
    const wine = await sharedWine();
    const root = mkdtempSync(join(tmpdir(), 'onepay-dll-fuzz-'));
    try {
      const dll = installDll('x64', root, 'his', { encoding: 'gbk' });
      // No setinfo in this profile: every call is answered inside the DLL, so the fuzz stays local.
      const { stdout } = await wine.run('x64', EXE(), [winPath(dll), 'fuzz', '7', '1500'], 300_000, {
        PAYCLIENT_HOME: winPath(join(root, 'home')),
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      assert.deepEqual(result, { step: 0, fn: 'fuzz', calls: 3000, overruns: 0, unterminated: 0 } as never);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

interface Step {
  ret: string | number;
  ms: number;
  canary: boolean;
  terminated: boolean;
  answer: Record<string, unknown>;
}

/** Fields that differ between two deliveries of one request by nature: none here, every field must match. */
function sameAnswer(dll: Record<string, unknown>, node: Record<string, unknown>, what: string): void {
  assert.deepEqual(dll, node, `${what}: the DLL and the Node client answer field for field alike`);
}

for (const database of TEST_DATABASES) {
  for (const suite of ['SM', 'AES'] as const) {
    describe(
      `payclient.dll under wine64 against the platform, ${database.name}, suite ${suite}: no bridge, no other Node process`,
      wineSuite,
      () => {
        let wine: Wine;
        let platform: TestPlatform;
        let root: string;
        let dll: string;
        let home: string;
        let node: PayClient;

        before(async () => {
          if ((await databaseAvailability(database)).skip) return;
          buildDlls();
          wine = await sharedWine();
          root = mkdtempSync(join(tmpdir(), 'onepay-dll-e2e-'));
          home = join(root, 'profile');
          platform = await startTestPlatform(database, { suite });
          dll = installDll('x64', root, 'his', { encoding: 'gbk', desk: 'print', desk_timeout_ms: 3_000 });
          node = new PayClient({
            serveraddr: `${platform.running.url}/onepay-web/oneweb/oneapi`,
            appid: platform.appid,
            appsecret: platform.secret,
            suite,
            desk: { mode: 'none', timeoutMs: 3_000 },
          });
        });

        after(async () => {
          await platform?.closeCheckingLedger();
          if (root) rmSync(root, { recursive: true, force: true });
        });

        /** Calls payTrans through payclient_test.exe, the pindata as GBK bytes from a file. */
        async function calls(
          target: string,
          pindatas: object[],
          env: Record<string, string> = {},
        ): Promise<{ steps: Step[]; stderr: string }> {
          const args = [winPath(target)];
          const outs = pindatas.map((pindata, i) => {
            const input = join(root, `in-${Date.now()}-${i}.json`);
            writeFileSync(input, iconv.encode(JSON.stringify(pindata), 'gbk'));
            const out = join(root, `out-${Date.now()}-${i}.json`);
            args.push('call', winPath(input), winPath(out));
            return out;
          });
          const { stdout, stderr } = await wine.run('x64', EXE(), args, 120_000, {
            PAYCLIENT_HOME: winPath(home),
            ...env,
          });
          const lines = stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Omit<Step, 'answer'>);
          assert.equal(lines.length, pindatas.length, stdout + stderr);
          const steps = lines.map((line, i) => {
            const answer = JSON.parse(iconv.decode(readFileSync(outs[i]!), 'gbk')) as Record<string, unknown>;
            assert.equal(line.ret, answer['respCode'], 'payTrans returns the respCode it wrote');
            assert.ok(line.canary && line.terminated);
            return { ...line, answer };
          });
          return { steps, stderr };
        }

        it('setinfo, a recharge for 蔡少辉 in GBK, the balance, a query, a refund: equal to the Node client', async (t) => {
          if (!platform) return t.skip('database unavailable');
          const card = `D${suite}${Date.now() % 1_000_000}`;
          const outChargeNo = `DLL${suite}${Date.now()}`;
          const recharge = {
            transType: 'hop.trade.recharge',
            param: { ...cashRecharge(card, outChargeNo, '100.00'), userName: '蔡少辉' },
          };
          const info = {
            transType: 'hop.account.info',
            param: { ...OPERATOR, cardType: '03', cardNo: card, accountType: '01' },
          };
          const query = {
            transType: 'hop.trade.query',
            param: {
              ...OPERATOR,
              cardType: '03',
              cardNo: card,
              accountType: '01',
              tradeType: 'hop.trade.recharge',
              outTradeNo: outChargeNo,
              hisOrderNo: outChargeNo,
            },
          };
          const refund = {
            transType: 'hop.trade.refund',
            param: cashRefund(card, outChargeNo, `R${outChargeNo}`, '30.00'),
          };
          const setinfo = {
            transType: 'hop.trade.setinfo',
            param: {
              serveraddr: `${platform.running.url}/onepay-web/oneweb/oneapi`,
              appid: platform.appid,
              appsecret: platform.secret,
              suite,
            },
          };
          const { steps } = await calls(dll, [setinfo, recharge, info, query, refund, info]);
          const codes = steps.map((s) => s.ret);
          assert.deepEqual(
            codes,
            ['000000', '000000', '000000', '000000', '000000', '000000'],
            JSON.stringify(steps.map((s) => s.answer)),
          );
          assert.equal((steps[2]!.answer['param'] as Record<string, string>)['balance'], '100.00');
          assert.equal((steps[5]!.answer['param'] as Record<string, string>)['balance'], '70.00');
          // setinfo is kept in the profile, in the Node client's format, so either client reads it.
          const saved = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, string>;
          assert.equal(saved['appid'], platform.appid);
          assert.equal(saved['suite'] ?? 'SM', suite);
          // ...behind an owner-only DACL. Wine keeps no DACL of its own: it maps the one it is given to
          // Unix mode bits, where "nobody else" shows as no bits for others (a file made without one is
          // 0644 there). On Windows, `payclient_test.exe payclient.dll acl <file>` reads the DACL itself.
          for (const path of [join(home, 'config.json'), home]) {
            assert.equal(
              statSync(path).mode & 0o007,
              0,
              `${path}: mode ${(statSync(path).mode & 0o777).toString(8)}`,
            );
          }
          const acl = await wine.run(
            'x64',
            EXE(),
            [winPath(dll), 'acl', winPath(join(home, 'config.json'))],
            30_000,
          );
          assert.match(acl.stdout, /"fn":"acl","protected":(true|false),"aces":\d+/, acl.stdout);

          // The same pindata through the Node client: a repeated order number answers the stored answer,
          // the balance and the query are what they are now. Every field must be the same.
          for (const [i, pindata] of [recharge, info, query, refund, info].entries()) {
            if (i === 1) continue; // the first balance was taken before the refund
            const fromNode = JSON.parse(await node.payTrans(JSON.stringify(pindata))) as Record<
              string,
              unknown
            >;
            sameAnswer(steps[i + 1]!.answer, fromNode, pindata.transType);
          }
          // Bad input, answered by the platform for the DLL and locally by the Node client, alike.
          const bad = {
            transType: 'hop.account.info',
            param: { ...OPERATOR, cardType: '03', accountType: '01' },
          };
          const [badStep] = (await calls(dll, [bad])).steps;
          sameAnswer(badStep!.answer, JSON.parse(await node.payTrans(JSON.stringify(bad))), 'missing cardNo');
        });

        it('the cashier desk (deskflak 0): the address printed, the call blocking until the desk bound, then the order closed (035001) as the Node client', async (t) => {
          if (!platform) return t.skip('database unavailable');
          const card = `K${suite}${Date.now() % 1_000_000}`;
          const outChargeNo = `DSK${suite}${Date.now()}`;
          const param = cashRecharge(card, outChargeNo, '5.00');
          const recharge = {
            transType: 'hop.trade.recharge',
            param: { ...param, extra: { ...(param['extra'] as object), deskflak: '0' } },
          };
          const { steps, stderr } = await calls(dll, [recharge]);
          const step = steps[0]!;
          assert.equal(step.ret, '035001', JSON.stringify(step.answer));
          assert.match(String(step.answer['respMsg']), /收银台等待超时/);
          const deskUrl = /请在浏览器中打开收银台 (\S+)/.exec(stderr)?.[1] ?? '';
          assert.match(deskUrl, /^http/, stderr);
          assert.ok(step.ms >= 3_000, `waited ${step.ms} ms at the desk`);
          sameAnswer(step.answer, JSON.parse(await node.payTrans(JSON.stringify(recharge))), 'desk closed');
        });

        it('the cashier pays at the desk while payTrans waits: the call returns the final answer, as the Node client', async (t) => {
          if (!platform) return t.skip('database unavailable');
          const waiting = installDll('x64', root, 'his-desk', {
            encoding: 'gbk',
            desk: 'print',
            desk_timeout_ms: 60_000,
          });
          const card = `P${suite}${Date.now() % 1_000_000}`;
          const outChargeNo = `PAY${suite}${Date.now()}`;
          const param = cashRecharge(card, outChargeNo, '8.00');
          const recharge = {
            transType: 'hop.trade.recharge',
            param: { ...param, userName: '蔡少辉', extra: { ...(param['extra'] as object), deskflak: '0' } },
          };
          const input = join(root, `desk-pay-${suite}.json`);
          const out = `${input}.out`;
          writeFileSync(input, iconv.encode(JSON.stringify(recharge), 'gbk'));
          let paid: Promise<unknown> | undefined;
          let seenUrl = '';
          const { stdout } = await wine.run(
            'x64',
            EXE(),
            [winPath(waiting), 'call', winPath(input), winPath(out)],
            120_000,
            { PAYCLIENT_HOME: winPath(home) },
            (text) => {
              // The cashier, seeing the printed address, takes the cash at the desk.
              const url = /请在浏览器中打开收银台 (\S+)/.exec(text)?.[1];
              if (url && !paid) {
                seenUrl = url;
                paid = fetch(`${url}/pay`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ channel: 'CASH' }),
                }).then(async (r) => [r.status, await r.text()]);
              }
            },
          );
          assert.ok(paid, 'the desk address was printed while payTrans was waiting');
          const [status, deskAnswer] = (await paid) as [number, string];
          assert.equal(status, 200, deskAnswer);
          const step = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ret: string };
          const answer = JSON.parse(iconv.decode(readFileSync(out), 'gbk')) as Record<string, unknown>;
          assert.equal(step.ret, '000000', JSON.stringify(answer));
          assert.equal((answer['param'] as Record<string, string>)['tradeMode'], 'CASH');
          assert.match(seenUrl, /\/desk\//);
          sameAnswer(answer, JSON.parse(await node.payTrans(JSON.stringify(recharge))), 'desk paid');
        });

        it('eight HIS threads call payTrans at once: each its own answer and return buffer', async (t) => {
          if (!platform) return t.skip('database unavailable');
          const input = join(root, `parallel-${suite}.json`);
          const pindata = {
            transType: 'hop.account.info',
            param: { ...OPERATOR, cardType: '03', cardNo: 'NO-SUCH-CARD', accountType: '01' },
          };
          writeFileSync(input, iconv.encode(JSON.stringify(pindata), 'gbk'));
          const { stdout } = await wine.run(
            'x64',
            EXE(),
            [winPath(dll), 'parallel', '8', winPath(input)],
            60_000,
            {
              PAYCLIENT_HOME: winPath(home),
            },
          );
          const result = JSON.parse(stdout.trim()) as { codes: string[]; consistent: number };
          const fromNode = JSON.parse(await node.payTrans(JSON.stringify(pindata))) as { respCode: string };
          assert.equal(fromNode.respCode, '031003');
          assert.deepEqual(result.codes, Array(8).fill(fromNode.respCode), stdout);
          assert.equal(result.consistent, 8, stdout);
        });

        it('platform down, or an address that is not the platform (404): -7, nothing sent', async (t) => {
          if (!platform) return t.skip('database unavailable');
          const closed = http.createServer();
          await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
          const deadPort = (closed.address() as AddressInfo).port;
          await new Promise<void>((r) => closed.close(() => r()));
          const info = {
            transType: 'hop.account.info',
            param: { ...OPERATOR, cardType: '03', cardNo: 'X1', accountType: '01' },
          };
          const setTo = (serveraddr: string) => ({
            transType: 'hop.trade.setinfo',
            param: { serveraddr, appid: platform.appid, appsecret: platform.secret, suite },
          });
          const { steps } = await calls(dll, [
            setTo(`http://127.0.0.1:${deadPort}/onepay-web/oneweb/oneapi`),
            info,
            setTo(`${platform.running.url}/onepay-web/wrong/path`),
            info,
          ]);
          assert.equal(steps[1]!.ret, '-7', JSON.stringify(steps[1]!.answer));
          assert.match(String(steps[1]!.answer['respMsg']), /交易未发送/);
          assert.equal(steps[3]!.ret, '-7', JSON.stringify(steps[3]!.answer));
          assert.match(String(steps[3]!.answer['respMsg']), /HTTP 404/);
        });
      },
    );
  }
}

type Behaviour = 'hang' | 'reset' | { status: number; body: string };

describe('payclient.dll under wine64: transport codes and clock skew, as the Node client', wineSuite, () => {
  let wine: Wine;
  let root: string;
  let server: http.Server;
  let url: string;
  let behaviour: (body: string) => Behaviour = () => ({ status: 200, body: '' });
  const APPID = 'op-skew-test';
  const SECRET = 'a-secret-of-enough-length-for-the-test';

  before(async () => {
    buildDlls();
    wine = await sharedWine();
    root = mkdtempSync(join(tmpdir(), 'onepay-dll-transport-'));
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const what = behaviour(Buffer.concat(chunks).toString('utf8'));
        if (what === 'hang') return;
        if (what === 'reset') {
          req.socket.destroy();
          return;
        }
        res.writeHead(what.status, { 'content-type': 'application/json; charset=utf-8' }).end(what.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onepay-web/oneweb/oneapi`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function viaDll(suite: 'SM' | 'AES', pindatas: object[]): Promise<Record<string, unknown>[]> {
    const dll = installDll('x64', root, `his-${suite}`, { encoding: 'utf8', answer_timeout_ms: 2_000 });
    const setinfo = {
      transType: 'hop.trade.setinfo',
      param: { serveraddr: url, appid: APPID, appsecret: SECRET, suite },
    };
    const args = [winPath(dll)];
    const outs = [setinfo, ...pindatas].map((pindata, i) => {
      const input = join(root, `t-${Date.now()}-${i}.json`);
      writeFileSync(input, JSON.stringify(pindata));
      const out = `${input}.out`;
      args.push('call', winPath(input), winPath(out));
      return out;
    });
    await wine.run('x64', EXE(), args, 60_000, { PAYCLIENT_HOME: winPath(join(root, `home-${suite}`)) });
    return outs.slice(1).map((out) => JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>);
  }

  const info = {
    transType: 'hop.account.info',
    param: { ...OPERATOR, cardType: '03', cardNo: 'X1', accountType: '01' },
  };

  /** A platform that opens the request and seals `answer` for it. */
  function sealing(suite: 'SM' | 'AES', answer: string, platformSkew = 0, seen: string[] = []) {
    const keys = keysFromSecret(SECRET, suite);
    return (body: string): Behaviour => {
      const platformNow = Math.floor(Date.now() / 1000) + platformSkew;
      const parsed = parseEnvelope(JSON.parse(body));
      if (!parsed.ok) return { status: 400, body: JSON.stringify(parsed.answer) };
      const opened = openEnvelope(parsed.env, keys, { direction: 'req', now: platformNow });
      seen.push(opened.ok ? opened.plaintext : opened.answer.respCode);
      if (!opened.ok) return { status: 400, body: JSON.stringify(opened.answer) };
      const sealed = sealResponse({
        appid: APPID,
        suite,
        keys,
        plaintext: answer,
        reqNonce: parsed.env.nonce,
        now: platformNow,
      });
      return { status: 200, body: JSON.stringify(sealed) };
    };
  }

  it('an answer over 2047 bytes: the documented replacement in payTrans, the whole of it in payTransEx; bad GBK is refused unsent', async () => {
    const seen: string[] = [];
    const whole = JSON.stringify({
      respCode: '000000',
      respMsg: '处理成功',
      param: { authimg_base_64: 'A'.repeat(6_000), userName: '蔡少辉' },
    });
    const wholeGbk = iconv.encode(whole, 'gbk');
    behaviour = sealing('SM', whole, 0, seen);
    const dll = installDll('x64', root, 'his-gbk', { encoding: 'gbk' });
    const file = (name: string, bytes: Buffer) => {
      const path = join(root, name);
      writeFileSync(path, bytes);
      return path;
    };
    const setinfo = file(
      'gbk-setinfo.json',
      iconv.encode(
        JSON.stringify({
          transType: 'hop.trade.setinfo',
          param: { serveraddr: url, appid: APPID, appsecret: SECRET },
        }),
        'gbk',
      ),
    );
    const face = file(
      'gbk-face.json',
      iconv.encode(JSON.stringify({ ...info, transType: 'hop.face.query' }), 'gbk'),
    );
    // 0x81 0x20: a GBK lead byte followed by a byte no GBK character has there.
    const bad = file(
      'gbk-bad.json',
      Buffer.concat([
        Buffer.from('{"transType":"hop.account.info","param":{"operatorName":"'),
        Buffer.from([0x81, 0x20]),
        Buffer.from('"}}'),
      ]),
    );
    const outs = ['setinfo', 'call', 'exBig', 'exSmall', 'bad'].map((n) => join(root, `gbk-${n}.out`));
    const { stdout } = await wine.run(
      'x64',
      EXE(),
      [
        winPath(dll),
        ...['call', winPath(setinfo), winPath(outs[0]!)],
        ...['call', winPath(face), winPath(outs[1]!)],
        ...['ex', winPath(face), winPath(outs[2]!), String(1 << 20)],
        ...['ex', winPath(face), winPath(outs[3]!), '1024'],
        ...['call', winPath(bad), winPath(outs[4]!)],
      ],
      60_000,
      { PAYCLIENT_HOME: winPath(join(root, 'home-gbk')) },
    );
    const steps = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const out = (i: number) =>
      JSON.parse(iconv.decode(readFileSync(outs[i]!), 'gbk')) as Record<string, string>;
    for (const step of steps) assert.ok(step['canary'] && step['terminated'], stdout);
    assert.equal(
      steps[1]!['ret'],
      '000000',
      "the answer's own respCode: a success is never reported as a failure",
    );
    assert.match(out(1)['respMsg']!, /payTransEx/);
    assert.equal(out(1)['needSize'], String(wholeGbk.length + 1));
    assert.equal(steps[2]!['ret'], 0);
    assert.ok(
      readFileSync(outs[2]!).equals(wholeGbk),
      'payTransEx with a big buffer gets the whole answer, in GBK',
    );
    assert.equal(steps[3]!['ret'], wholeGbk.length + 1);
    assert.equal(out(3)['needSize'], String(wholeGbk.length + 1));
    assert.equal(steps[4]!['ret'], '000004');
    assert.match(out(4)['respMsg']!, /GBK/);
    assert.equal(seen.length, 3, 'three requests reached the platform; the bad GBK never left');
    assert.ok(seen.every((plaintext) => JSON.parse(plaintext).transType === 'hop.face.query'));
  });

  it('-28 (hang), -3 (garbage, HTML 500, an unsealed success, a reset after sending): the same codes from both clients', async () => {
    const cases: Array<[string, Behaviour, string]> = [
      ['hang', 'hang', '-28'],
      ['garbage', { status: 200, body: 'not json' }, '-3'],
      ['html 500', { status: 500, body: '<html>Internal Server Error</html>' }, '-3'],
      [
        'unsealed 000000',
        { status: 200, body: JSON.stringify({ respCode: '000000', respMsg: '处理成功' }) },
        '-3',
      ],
      ['reset', 'reset', '-3'],
    ];
    const node = new PayClient({ serveraddr: url, appid: APPID, appsecret: SECRET, answerTimeoutMs: 2_000 });
    for (const [name, what, code] of cases) {
      behaviour = () => what;
      const started = Date.now();
      const [fromDll] = await viaDll('SM', [info]);
      const dllMs = Date.now() - started;
      const fromNode = JSON.parse(await node.payTrans(JSON.stringify(info))) as Record<string, unknown>;
      assert.equal(fromDll!['respCode'], code, `${name}: ${JSON.stringify(fromDll)}`);
      assert.equal(fromNode['respCode'], code, `${name} (Node): ${JSON.stringify(fromNode)}`);
      if (name === 'hang') assert.ok(dllMs >= 2_000, `the DLL waited its answer bound: ${dllMs} ms`);
    }
  });

  it('HTTPS to a server whose certificate Windows does not trust: -7, the request never left (TLS failed first)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'onepay-tls-'));
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    if (made.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      availability('the HTTPS test', 'openssl not found');
      return t.skip('openssl not found');
    }
    let requests = 0;
    const tls = https.createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => {
        requests++;
        res.end('{}');
      },
    );
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const saved = url;
    try {
      url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/onepay-web/oneweb/oneapi`;
      const [answer] = await viaDll('SM', [info]);
      assert.equal(answer!['respCode'], '-7', JSON.stringify(answer));
      // ERROR_WINHTTP_SECURE_FAILURE on Windows, ERROR_WINHTTP_SECURE_CHANNEL_ERROR under wine.
      assert.match(String(answer!['respMsg']), /TLS handshake failed.*WinHTTP 121(75|57)/);
      assert.equal(requests, 0);
    } finally {
      url = saved;
      tls.closeAllConnections();
      await new Promise<void>((r) => tls.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const suite of ['SM', 'AES'] as const) {
    it(`${suite}: a clock 1000 s behind: 010006 with (当前 …), one retry on the platform's time with a new nonce, the offset kept`, async () => {
      const keys = keysFromSecret(SECRET, suite);
      const skew = 1_000;
      const seen: Array<{ ts: number; nonce: string; code: string }> = [];
      behaviour = (body) => {
        const platformNow = Math.floor(Date.now() / 1000) + skew;
        const parsed = parseEnvelope(JSON.parse(body));
        if (!parsed.ok) return { status: 400, body: JSON.stringify(parsed.answer) };
        const opened = openEnvelope(parsed.env, keys, { direction: 'req', now: platformNow });
        seen.push({
          ts: Number(parsed.env.ts),
          nonce: parsed.env.nonce,
          code: opened.ok ? '000000' : opened.answer.respCode,
        });
        if (!opened.ok) return { status: 400, body: JSON.stringify(opened.answer) };
        const answer = JSON.stringify({
          respCode: '000000',
          respMsg: '处理成功',
          param: { echo: JSON.parse(opened.plaintext).transType },
        });
        const sealed = sealResponse({
          appid: APPID,
          suite,
          keys,
          plaintext: answer,
          reqNonce: parsed.env.nonce,
          now: platformNow,
        });
        return { status: 200, body: JSON.stringify(sealed) };
      };
      const answers = await viaDll(suite, [info, info]);
      assert.deepEqual(
        answers.map((a) => a['respCode']),
        ['000000', '000000'],
        JSON.stringify(answers),
      );
      // First call: refused as stale, then accepted on the platform's clock with a fresh nonce.
      // Second call: on time at once, the offset was kept.
      assert.deepEqual(
        seen.map((s) => s.code),
        ['010006', '000000', '000000'],
        JSON.stringify(seen),
      );
      assert.notEqual(seen[0]!.nonce, seen[1]!.nonce);
      assert.ok(Math.abs(seen[1]!.ts - seen[0]!.ts - skew) <= 2, JSON.stringify(seen));
    });
  }
});
