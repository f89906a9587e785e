import { PayClient } from '../../src/client/index.js';
import { API_PATH } from '../../src/platform/http.js';
import type { Credentials } from './requests.js';
import { type LatencySummary, summarize } from './stats.js';

/**
 * payTrans through the client library on loopback, one call at a time: the
 * latency an HIS sees per call (validate, seal, HTTP, platform, open).
 * A query, so the figure is the library and the platform's read path, not
 * the disk; the durable recharge's round trip is in the open-loop phase.
 */
export async function clientRoundTrip(
  baseUrl: string,
  creds: Credentials,
  calls: number,
): Promise<LatencySummary & { suite: string }> {
  const client = new PayClient({
    serveraddr: `${baseUrl}${API_PATH}`,
    appid: creds.appid,
    appsecret: creds.secret,
    suite: creds.suite,
  });
  const pindata = JSON.stringify({
    transType: 'hop.trade.query',
    param: {
      operatorId: '001',
      termNo: 'T01',
      operatorName: '张三',
      cardType: '03',
      cardNo: 'RTT',
      accountType: '01',
      tradeType: 'hop.trade.recharge',
      outTradeNo: 'RTT-NONE',
    },
  });
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const answer = JSON.parse(await client.payTrans(pindata)) as { respCode: string };
    const dt = performance.now() - t0;
    if (answer.respCode !== '000000') throw new Error(`round-trip query answered ${answer.respCode}`);
    if (i >= calls / 10) samples.push(dt); // the first tenth warms the JIT and the socket
  }
  return { ...summarize(samples), suite: creds.suite };
}
