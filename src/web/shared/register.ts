import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { registerDeskRoutes } from '../desk/routes.js';
import { registerRefundDeskRoutes } from '../refund-desk/routes.js';
import { registerScreenRoutes } from '../screen/routes.js';
import { registerAssets } from './assets.js';

/** A desk click is a few dozen bytes of JSON. */
const BODY_LIMIT_BYTES = 4 * 1024;

/**
 * The cashier's pages: desk, extension screen, refund desk and their assets,
 * in one scope with a small body limit of its own. The one-QR landing lives
 * in the sandbox wallet's route (src/web/landing/one-qr.ts).
 */
export function registerCashierWeb(app: FastifyInstance, platform: Platform): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
      (_req, body, done) => {
        try {
          done(null, body === '' ? {} : JSON.parse(String(body)));
        } catch {
          done(null, {});
        }
      },
    );
    registerAssets(scope);
    registerDeskRoutes(scope, platform);
    registerScreenRoutes(scope, platform);
    registerRefundDeskRoutes(scope, platform);
  });
}
