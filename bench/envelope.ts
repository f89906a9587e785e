/**
 * Micro-benchmark of the envelope: seal+open throughput per suite, and the
 * median of a full client round trip's crypto (seal request → platform parses
 * and opens → seals the answer → client parses and opens), without network.
 * Run: node --import tsx bench/envelope.ts
 */
import {
  keysFromSecret,
  openEnvelope,
  parseEnvelope,
  type Suite,
  sealRequest,
  sealResponse,
} from '../src/protocol/envelope/index.js';

const SECRET = 'bench-secret-0123456789abcdef';
const APPID = 'opbench';
const TYPICAL =
  '{"transType":"hop.trade.recharge","param":{"operatorId":"001","termNo":"T01","operatorName":"张三",' +
  '"cardType":"01","cardNo":"D12345678","accountType":"01","amount":"100.00",' +
  '"outChargeNo":"20161125000000001","notes":"门诊支付","extra":""}}';
const LARGEST = `{"notes":"${'院'.repeat(2048 - 12)}"}`;
const ANSWER =
  '{"respCode":"000000","respMsg":"处理成功","param":{"tradeNo":"2024000000000001","amount":"100.00"}}';
const WARMUP = 2_000;
const DURATION_MS = 1_000;

function must<T>(r: ({ ok: true } & T) | { ok: false; answer: { respCode: string } }): T {
  if (!r.ok) throw new Error(`benchmark message failed: ${r.answer.respCode}`);
  return r;
}

function sealOpen(suite: Suite, plaintext: string): void {
  const keys = keysFromSecret(SECRET, suite);
  const env = sealRequest({ appid: APPID, suite, keys, plaintext });
  must(openEnvelope(env, keys, { direction: 'req' }));
}

function roundTrip(suite: Suite, plaintext: string): void {
  const clientKeys = keysFromSecret(SECRET, suite);
  const req = sealRequest({ appid: APPID, suite, keys: clientKeys, plaintext });
  const wire = JSON.stringify(req);
  // Platform side: its own key lookup is a cache hit too (it keeps derived keys).
  const inbound = must(parseEnvelope(wire)).env;
  const keys = keysFromSecret(SECRET, inbound.suite);
  must(openEnvelope(inbound, keys, { direction: 'req' }));
  const answer = JSON.stringify(
    sealResponse({ appid: APPID, suite, keys, plaintext: ANSWER, reqNonce: inbound.nonce }),
  );
  // Client side again.
  const back = must(parseEnvelope(answer)).env;
  must(openEnvelope(back, clientKeys, { direction: 'resp', reqNonce: req.nonce }));
}

function measure(name: string, fn: () => void): void {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + DURATION_MS;
  while (performance.now() < end) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((s, x) => s + x, 0);
  const median = samples[samples.length >> 1] ?? 0;
  const p99 = samples[Math.floor(samples.length * 0.99)] ?? 0;
  console.log(
    `${name.padEnd(34)} ${Math.round((samples.length / total) * 1000)
      .toString()
      .padStart(
        7,
      )} ops/s   median ${(median * 1000).toFixed(1).padStart(6)} µs   p99 ${(p99 * 1000).toFixed(1).padStart(6)} µs`,
  );
}

console.log(`node ${process.version}, ${process.arch}`);
for (const suite of ['SM', 'AES'] as const) {
  measure(`${suite} seal+open (typical ${TYPICAL.length} ch)`, () => sealOpen(suite, TYPICAL));
  measure(`${suite} seal+open (2048 Chinese ch)`, () => sealOpen(suite, LARGEST));
  measure(`${suite} round trip (typical)`, () => roundTrip(suite, TYPICAL));
  measure(`${suite} round trip (2048 Chinese ch)`, () => roundTrip(suite, LARGEST));
}
