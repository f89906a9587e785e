import type { Answer } from '../protocol/codes.js';
import { isUnpaidQrAnswer, UNPAID_QR_NOTICE } from '../protocol/print-mode.js';
import { packageVersion } from '../version.js';
import { payTrans } from './pay-trans.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const USAGE = `usage: payclient '<pindata JSON>'     (or pindata on stdin)
       payclient bridge [--host 127.0.0.1] [--port 1302] [--encoding utf8|gbk] [--token T] [--allow-setinfo]
       payclient --help | --version
  Prints poutdata; the exit status is 0 exactly when respCode is 000000.
environment:
  PAYCLIENT_HOME             where setinfo keeps config.json (default ~/.payclient)
  PAYCLIENT_DESK             how the cashier desk is shown: open (browser, default), print, none
  PAYCLIENT_DESK_TIMEOUT_MS  how long payTrans waits at the desk (default 600000)
  PAYCLIENT_BRIDGE_TOKEN     the bridge's X-Payclient-Token, kept out of the process list`;

/** `payclient '<pindata>'` prints poutdata; exit status 0 iff respCode is 000000. */
export async function runPayclientCli(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'bridge') {
    const { runBridgeCli } = await import('../bridge/index.js');
    return runBridgeCli(argv.slice(1));
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    console.log(packageVersion());
    return 0;
  }
  // No pindata and nobody piping any: a person asking what this is.
  if (argv[0] === '--help' || argv[0] === '-h' || (argv.length === 0 && process.stdin.isTTY)) {
    console.log(USAGE);
    return 0;
  }
  const pindata = argv.length > 0 ? argv.join(' ') : await readStdin();
  const poutdata = await payTrans(pindata.trim());
  process.stdout.write(`${poutdata}\n`);
  const answer = JSON.parse(poutdata) as Answer;
  // 000000 with tradeState 1 is a QR code, not money: a script testing the exit status alone
  // would book it as paid, so the person running it is told on stderr.
  if (isUnpaidQrAnswer(answer)) process.stderr.write(`payclient: ⚠ 尚未支付! ${UNPAID_QR_NOTICE}\n`);
  return answer.respCode === '000000' ? 0 : 1;
}
