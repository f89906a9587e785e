import type { FastifyInstance } from 'fastify';
import { COMMON_JS } from './assets/common-js.js';
import { CASHIER_CSS } from './assets/css.js';
import { DESK_JS } from './assets/desk-js.js';
import { OPS_JS } from './assets/ops-js.js';
import { REFUND_DESK_JS } from './assets/refund-desk-js.js';
import { SCREEN_JS } from './assets/screen-js.js';
import { ASSET_PREFIX } from './html.js';

/**
 * The pages' script and style, kept in modules rather than files so the
 * built package carries them without a copy step, and served by the
 * platform itself: a hospital LAN may reach nothing else.
 */
const ASSETS: Readonly<Record<string, readonly [string, string]>> = {
  'cashier.css': ['text/css; charset=utf-8', CASHIER_CSS],
  'common.js': ['text/javascript; charset=utf-8', COMMON_JS],
  'desk.js': ['text/javascript; charset=utf-8', DESK_JS],
  'screen.js': ['text/javascript; charset=utf-8', SCREEN_JS],
  'refund-desk.js': ['text/javascript; charset=utf-8', REFUND_DESK_JS],
  'ops.js': ['text/javascript; charset=utf-8', OPS_JS],
};

export function registerAssets(app: FastifyInstance): void {
  app.get(`${ASSET_PREFIX}/:name`, async (req, reply) => {
    const { name } = req.params as { name: string };
    // Own keys only: `constructor`, `__proto__` and `toString` are no assets.
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return reply.code(404).send('not found');
    // Short cache: an upgrade of the platform reaches the desks within minutes without renamed files.
    return reply.header('cache-control', 'public, max-age=300').type(asset[0]).send(asset[1]);
  });
}
