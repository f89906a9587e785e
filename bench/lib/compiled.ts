/**
 * The bench's servers as users run them: compiled by tsc to plain
 * JavaScript, as `onepay serve` runs from dist/. Under tsx every function
 * is wrapped to keep its name (esbuild's keepNames: a defineProperty call for
 * each closure made), which charged the platform a few per cent of a query
 * that a deployment does not pay (docs/benchmarks.md). Compiled once per
 * run, incrementally, into node_modules/.cache, where the compiled files
 * still find the packages; the browser assets and package.json the platform
 * reads beside its code are copied along.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/onepay-bench');

/** Compiles the bench's server entries (bench/tsconfig.compiled.json) and returns where each .ts now runs from. */
export function compileServers(): (tsFile: string) => string {
  // typescript's exports list lib/ only; its bin sits beside the package.json.
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'bench/tsconfig.compiled.json')], {
    stdio: 'inherit',
  });
  cpSync(join(ROOT, 'src/web/browser'), join(OUT, 'src/web/browser'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(OUT, 'package.json'));
  return (tsFile) => join(OUT, relative(ROOT, tsFile)).replace(/\.ts$/, '.js');
}
