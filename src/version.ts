import { readFileSync } from 'node:fs';

/** The package's version, read from its package.json (one level above this file, in src/ and in dist/). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}
