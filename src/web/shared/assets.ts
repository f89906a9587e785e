import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ASSET_PREFIX, SANDBOX_BANNER_CSS } from './html.js';

/**
 * The pages' scripts and stylesheet are real files (src/web/browser, copied
 * next to the compiled pages by `npm run build`), so tsc-free browser code is
 * still formatted and linted by Biome. They are read once, when the routes
 * are registered, and served by the platform itself: a hospital LAN may
 * reach nothing else.
 */
const BROWSER_DIR = new URL('../browser/', import.meta.url);

const TYPES = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

const FILES: readonly (readonly [name: string, type: keyof typeof TYPES])[] = [
  ['cashier.css', 'css'],
  ['common.js', 'js'],
  ['desk.js', 'js'],
  ['screen.js', 'js'],
  ['refund-desk.js', 'js'],
  ['ops.js', 'js'],
  ['wallet-pay.js', 'js'],
];

interface Asset {
  readonly type: string;
  readonly body: string;
}

/** The served assets by name. A Map, so `constructor` or `__proto__` are names like any other: not found. */
export function loadAssets(dir: URL = BROWSER_DIR): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of FILES) {
    let text: string;
    try {
      text = readFileSync(new URL(name, dir), 'utf8');
    } catch (error) {
      // A dist/ built by tsc alone lacks them: say how to get them rather than a bare ENOENT.
      throw new Error(`the pages' asset ${name} is missing from ${dir.pathname} (build with npm run build)`, {
        cause: error,
      });
    }
    // The banner's rule is shared with the inline-styled phone pages; one copy of it lives in html.ts.
    assets.set(name, { type: TYPES[type], body: type === 'css' ? `${SANDBOX_BANNER_CSS}\n${text}` : text });
  }
  return assets;
}

export function registerAssets(app: FastifyInstance): void {
  const assets = loadAssets();
  app.get(`${ASSET_PREFIX}/:name`, async (req, reply) => {
    const { name } = req.params as { name: string };
    const asset = assets.get(name);
    if (!asset) return reply.code(404).send('not found');
    // Short cache: an upgrade of the platform reaches the desks within minutes without renamed files.
    return reply.header('cache-control', 'public, max-age=300').type(asset.type).send(asset.body);
  });
}
