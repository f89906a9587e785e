import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STRICT } from '../../src/testing/databases.js';

export const BUILD = resolve('build', 'native');
export type Arch = 'x64' | 'x86';
export const TRIPLET: Record<Arch, string> = { x64: 'x86_64-w64-mingw32', x86: 'i686-w64-mingw32' };

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** `{ skip }` with a visible notice when a tool is absent; under ONEPAY_TEST_STRICT=1 a failure instead. */
export function availability(what: string, problem: string | null): { skip?: string } {
  if (problem === null) return {};
  if (STRICT) throw new Error(`ONEPAY_TEST_STRICT=1 and ${problem}`);
  console.warn(`NOTICE: skipping ${what}: ${problem}`);
  return { skip: problem };
}

export function mingwProblem(): string | null {
  const missing = Object.values(TRIPLET)
    .flatMap((t) => [`${t}-gcc`, `${t}-objdump`])
    .filter((tool) => !onPath(tool));
  return missing.length === 0 ? null : `mingw-w64 missing (${missing.join(', ')})`;
}

/**
 * The wine that runs a program of this architecture. Debian puts wine64 under
 * /usr/lib/wine, off PATH; its `wine` starts 64-bit programs too, and 32-bit
 * ones only when wine32 is installed.
 */
export function wineCommand(arch: Arch): string | undefined {
  if (arch === 'x86') return onPath('wine') ? 'wine' : undefined;
  if (onPath('wine64')) return 'wine64';
  if (existsSync('/usr/lib/wine/wine64')) return '/usr/lib/wine/wine64';
  return onPath('wine') ? 'wine' : undefined;
}

let built: { ok: true } | { ok: false; output: string } | undefined;

/** scripts/build-dll.sh once per test process. */
export function buildDlls(): void {
  built ??= (() => {
    const result = spawnSync('bash', ['scripts/build-dll.sh'], { encoding: 'utf8', timeout: 120_000 });
    return result.status === 0 ? { ok: true } : { ok: false, output: `${result.stdout}${result.stderr}` };
  })();
  if (!built.ok) throw new Error(`scripts/build-dll.sh failed:\n${built.output}`);
}

export function objdump(arch: Arch, file: string, ...args: string[]): string {
  const result = spawnSync(`${TRIPLET[arch]}-objdump`, [...args, join(BUILD, arch, file)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** Names in the export table, and the RVA each resolves to. */
export function exportsOf(arch: Arch): Map<string, string> {
  const text = objdump(arch, 'payclient.dll', '-p');
  const rvas = [...text.matchAll(/^\s*\[\s*(\d+)\] \+base\[\s*\d+\] ([0-9a-f]+) Export RVA/gm)].map(
    (m) => m[2]!,
  );
  const table = text.slice(text.indexOf('[Ordinal/Name Pointer] Table'));
  const names = new Map<string, string>();
  for (const m of table.matchAll(/^\s*\[\s*(\d+)\] (\S+)$/gm)) names.set(m[2]!, rvas[Number(m[1])]!);
  return names;
}

/** A directory holding a copy of the DLL with its own payclient.ini, as on a HIS machine. */
export function installDll(
  arch: Arch,
  root: string,
  name: string,
  ini: Record<string, string | number>,
): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(BUILD, arch, 'payclient.dll'), join(dir, 'payclient.dll'));
  const lines = Object.entries(ini).map(([key, value]) => `${key}=${value}`);
  writeFileSync(join(dir, 'payclient.ini'), `[payclient]\r\n${lines.join('\r\n')}\r\n`);
  return join(dir, 'payclient.dll');
}

/** Wine maps Z: to the Unix root. */
export const winPath = (path: string) => `Z:${resolve(path).replaceAll('/', '\\')}`;

export interface Wine {
  /** How long the new prefix took to boot. */
  readonly bootMs: number;
  /** Runs a Windows program; resolves with stdout, rejects on failure or past the bound. */
  run(
    arch: Arch,
    exe: string,
    args: readonly string[],
    timeoutMs: number,
    extraEnv?: Readonly<Record<string, string>>,
    /** Each piece of stderr as it comes, while the program still runs. */
    onStderr?: (text: string) => void,
  ): Promise<{ stdout: string; stderr: string }>;
  close(): void;
}

/**
 * A throwaway prefix with a wineserver kept up until close(). It is booted with
 * no pipes attached: the services wine starts then (winedevice, …) outlive the
 * run, and would hold a test's stdout open if they were started by a test run.
 * Each run then takes tens of ms instead of seconds. Mono and Gecko are declined
 * so the boot does not wait for installers.
 */
export async function startWine(bootTimeoutMs: number): Promise<Wine> {
  const prefix = mkdtempSync(join(tmpdir(), 'onepay-wine-'));
  const env = {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    DISPLAY: '',
  };
  const close = () => {
    // Our prefix's wineserver only, and with it the services of this prefix.
    spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
    rmSync(prefix, { recursive: true, force: true });
  };
  const boot = wineCommand('x64');
  if (!boot) throw new Error('no wine for x64');
  const started = Date.now();
  spawnSync('wineserver', ['-p'], { env, stdio: 'ignore', timeout: 10_000 });
  const booted = await new Promise<string | null>((resolvePromise) => {
    const child = spawn(boot, ['wineboot', '--init'], { env, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolvePromise(`wineboot did not finish in ${bootTimeoutMs} ms`);
    }, bootTimeoutMs);
    child.on('error', (error) => resolvePromise(error.message));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code === 0 ? null : `wineboot exited with ${code}`);
    });
  });
  if (booted !== null) {
    close();
    throw new Error(booted);
  }
  return {
    bootMs: Date.now() - started,
    run: (arch, exe, args, timeoutMs, extraEnv = {}, onStderr) =>
      new Promise((resolvePromise, reject) => {
        const command = wineCommand(arch);
        if (!command) {
          reject(new Error(`no wine for ${arch}`));
          return;
        }
        const child = execFile(
          command,
          [exe, ...args],
          { env: { ...env, ...extraEnv }, timeout: timeoutMs, encoding: 'utf8' },
          (error, stdout, stderr) => {
            if (error)
              reject(new Error(`${command} ${exe} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`));
            else resolvePromise({ stdout, stderr });
          },
        );
        if (onStderr) child.stderr?.on('data', (chunk: Buffer | string) => onStderr(String(chunk)));
      }),
    close,
  };
}
