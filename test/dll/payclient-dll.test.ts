import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { PayClient } from '../../src/client/index.js';
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

        before(async (t) => {
          const skip = (await databaseAvailability(database)).skip;
          if (skip) return t.skip?.(skip);
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

        it('the cashier desk (deskflak 0): the address printed, the call blocking until the desk bound, then 040038 as the Node client', async (t) => {
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
          assert.equal(step.ret, '040038', JSON.stringify(step.answer));
          const deskUrl = (step.answer['param'] as Record<string, string>)['deskUrl']!;
          assert.match(deskUrl, /^http/);
          assert.ok(stderr.includes(`请在浏览器中打开收银台 ${deskUrl}`), stderr);
          assert.ok(step.ms >= 3_000, `waited ${step.ms} ms at the desk`);
          sameAnswer(step.answer, JSON.parse(await node.payTrans(JSON.stringify(recharge))), 'desk pending');
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
