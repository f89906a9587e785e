import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

/** Starts `onepay gateway-double <gateway>` and reads its first three lines, then stops it. */
async function firstLines(gateway: string, out: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/onepay.ts').then((m) => m.runOnepayCli(['gateway-double', '${gateway}', '--port', '0', '--out', ${JSON.stringify(out)}]))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      if (lines.length === 3) break;
    }
  } finally {
    child.kill('SIGTERM');
  }
  return lines;
}

describe('onepay gateway-double', () => {
  for (const [gateway, files] of [
    ['alipay', ['alipay-double-app-key.pem', 'alipay-double-public-key.pem']],
    ['wechat', ['wechat-double-merchant-key.pem', 'wechat-double-platform-key.pem']],
    ['unionpay', ['unionpay-double-merchant.pfx', 'unionpay-double-root.cer', 'unionpay-double-middle.cer']],
  ] as const) {
    it(`${gateway}: serves, writes the merchant's files (keys 0600) and prints the app channel set line`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'onepay-double-'));
      const [listening, configure, play] = await firstLines(gateway, out);
      assert.match(listening ?? '', /double on http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(
        configure ?? '',
        new RegExp(`^configure a live app: onepay app channel set <appid> ${gateway} `),
      );
      assert.match(play ?? '', /_double\/orders\/<traceNo>\/pay$/);
      for (const file of files) {
        assert.ok(existsSync(join(out, file)), file);
        assert.ok((configure ?? '').includes(`@${join(out, file)}`), `${file} is named in the line`);
      }
      assert.equal(statSync(join(out, files[0])).mode & 0o777, 0o600, 'the private key is its owner’s alone');
    });
  }
});
