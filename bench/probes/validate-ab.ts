/**
 * Validation and the canonical JSON of a request, old code against new in
 * one process: each tree's validatePindata (on the bench's recharge and
 * query pindata) and canonicalJson (on the recharge's param), 100,000 calls
 * each after a warm-up, in alternated rounds. Prints CPU µs a call.
 *
 *   node --import tsx bench/probes/validate-ab.ts <old tree> <new tree> [rounds]
 */
import { resolve } from 'node:path';
import { pindata } from '../lib/requests.js';

const [oldTree, newTree, roundsArg] = process.argv.slice(2);
if (!oldTree || !newTree) throw new Error('usage: validate-ab.ts <old tree> <new tree> [rounds]');
const CALLS = 100_000;

async function load(tree: string) {
  const validate = await import(resolve(tree, 'src/protocol/validate.ts'));
  const canonical = await import(resolve(tree, 'src/protocol/canonical-json.ts'));
  return {
    validatePindata: validate.validatePindata as (text: string) => { ok: boolean },
    canonicalJson: canonical.canonicalJson as (value: unknown) => string,
  };
}

function cpuPerCall(fn: () => unknown): number {
  for (let i = 0; i < 5_000; i++) fn();
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

const sides = { old: await load(oldTree), new: await load(newTree) };
const texts = { recharge: pindata('recharge', 'P', 7), query: pindata('query', 'P', 7) };
const param = JSON.parse(texts.recharge).param;
for (const side of Object.values(sides)) {
  if (!side.validatePindata(texts.recharge).ok || !side.validatePindata(texts.query).ok)
    throw new Error('the bench pindata does not validate');
}
for (let round = 1; round <= Number(roundsArg ?? 4); round++) {
  const order = round % 2 === 1 ? (['old', 'new'] as const) : (['new', 'old'] as const);
  const cells: string[] = [];
  for (const [what, run] of [
    ['validate recharge', (s: typeof sides.old) => () => s.validatePindata(texts.recharge)],
    ['validate query', (s: typeof sides.old) => () => s.validatePindata(texts.query)],
    ['canonicalJson', (s: typeof sides.old) => () => s.canonicalJson(param)],
  ] as const) {
    const µs = Object.fromEntries(order.map((name) => [name, cpuPerCall(run(sides[name]))]));
    cells.push(`${what} ${µs['old']?.toFixed(2)} → ${µs['new']?.toFixed(2)}`);
  }
  console.log(`round ${round}: ${cells.join(' | ')} µs`);
}
