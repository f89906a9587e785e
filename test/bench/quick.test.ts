import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface TargetLine {
  readonly what: string;
  readonly ratio: string;
  readonly met: boolean | null;
}

/**
 * `npm run bench:quick` as a smoke test: the benchmark runs end to end (the
 * floors and ceilings, the platform in its own process, the load
 * generators), every answer is 000000, and the table names each target with
 * its ratio and verdict. Its figures are not judged here: on a machine busy
 * with the other tests they mean nothing; the point is that the bench never rots.
 */
describe('npm run bench:quick (smoke, not timed)', () => {
  it('runs end to end and reports issue 19 targets 1, 2 and 4 with a ratio and met or not', {
    timeout: 240_000,
  }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `bench:quick failed:\n${stderr.slice(-4000)}`);

    const resultsFile = /results: (\S+\.json)/.exec(stderr)?.[1];
    assert.ok(resultsFile, `no results file named:\n${stderr.slice(-2000)}`);
    try {
      const result = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
        quick: boolean;
        ceilings: { sqlFloor?: { wallUs: number }; envelopeFloor?: { perSecond: number } };
        targets: TargetLine[];
      };
      assert.equal(result.quick, true);
      assert.ok((result.ceilings.sqlFloor?.wallUs ?? 0) > 0, 'the SQL floor is measured in the run');
      assert.ok(
        (result.ceilings.envelopeFloor?.perSecond ?? 0) > 0,
        'the envelope floor is measured in the run',
      );
      for (const prefix of ['1. sqlite', '2. sqlite', '4. sqlite']) {
        const line = result.targets.find((t) => t.what.startsWith(prefix));
        assert.ok(line, `no line for target ${prefix}`);
        assert.match(line.ratio, /\d×/, `${prefix} has a ratio`);
        assert.equal(typeof line.met, 'boolean', `${prefix} says met or not`);
        assert.match(stdout, new RegExp(`\\| ${prefix.replace('.', '\\.')}[^\\n]*\\| (yes|no) \\|`));
      }
      for (const prefix of ['5. sqlite', '6.', '7.']) {
        assert.ok(
          result.targets.some((t) => t.what.startsWith(prefix) && t.met === null),
          `target ${prefix} listed as not measured`,
        );
      }
    } finally {
      rmSync(resultsFile, { force: true });
    }
  });
});
