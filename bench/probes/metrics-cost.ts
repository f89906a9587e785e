/**
 * What /metrics adds to one API call, measured alone: the clock readings,
 * stage observations and the call count that gateway/api.ts and the group
 * commit make for a query (8 readings of performance.now(), 6 observations,
 * one count by transType and respCode), in a tight loop. Compared with a
 * query's ~150–250 µs of CPU (trade-cost.ts), the share is what a closed-loop
 * A/B on a shared machine cannot resolve (docs/benchmarks.md).
 *
 *   node --import tsx bench/probes/metrics-cost.ts [calls]
 */
import { instruments, secondsSince } from '../../src/platform/metrics/instruments.js';

const calls = Number(process.argv[2] ?? 2_000_000);
const { stage, calls: answered } = instruments;
const codes = ['000000', '000000', '000000', '030002'];

function oneCall(n: number): void {
  const began = performance.now();
  let envelopeMs = performance.now() - began;
  const claiming = performance.now();
  stage.replay.observe(secondsSince(claiming));
  const validating = performance.now();
  stage.validation.observe(secondsSince(validating));
  const handling = performance.now();
  stage.database.observe(secondsSince(handling));
  stage.handler.observe(secondsSince(handling));
  answered.inc('hop.trade.query', codes[n & 3] as string);
  const sealing = performance.now();
  envelopeMs += performance.now() - sealing;
  stage.envelope.observe(envelopeMs / 1000);
  stage.call.observe(secondsSince(began));
}

for (let n = 0; n < 100_000; n++) oneCall(n);
const cpu = process.cpuUsage();
const started = performance.now();
for (let n = 0; n < calls; n++) oneCall(n);
const wallNs = ((performance.now() - started) * 1e6) / calls;
const used = process.cpuUsage(cpu);
console.log(
  `${calls} calls' instrumentation: ${wallNs.toFixed(0)} ns wall, ${(((used.user + used.system) * 1000) / calls).toFixed(0)} ns CPU a call`,
);
