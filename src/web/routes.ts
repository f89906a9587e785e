import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { SandboxChannels } from '../platform/channels/sandbox/index.js';
import type { RouteRegistrar } from '../platform/http.js';
import type { Platform } from '../platform/platform.js';
import { registerConsole } from './console/routes.js';
import { registerHome } from './home/routes.js';
import { registerLiveLanding, serveLiveLanding } from './landing/live-landing.js';
import { registerNotifyOps } from './ops/routes.js';
import { registerPatientWeb } from './patient/register.js';
import { registerSandboxRoutes } from './sandbox/routes.js';
import { registerCashierWeb } from './shared/register.js';

/**
 * Pages anyone may open without a credential (a patient's message, wristband
 * and top-up, the one-QR landing and wallet): a bound on requests per
 * address, so guessing links or hammering the top-up is slow.
 */
export const ANONYMOUS_PAGES_PER_MINUTE = 120;

function rateLimited(register: (scope: FastifyInstance, platform: Platform) => void): RouteRegistrar {
  return (app, platform) => {
    app.register(async (scope) => {
      await scope.register(rateLimit, { max: ANONYMOUS_PAGES_PER_MINUTE, timeWindow: '1 minute' });
      register(scope, platform);
    });
  };
}

/** Every page the platform serves: the cashier's, the patients', the operators', the finance console, the sandbox wallet and `/`. */
export function webRoutes(sandbox?: SandboxChannels): RouteRegistrar[] {
  return [
    ...(sandbox
      ? [
          rateLimited((scope, platform) =>
            registerSandboxRoutes(scope, sandbox, (req, reply, token) =>
              serveLiveLanding(platform, req, reply, token),
            ),
          ),
        ]
      : []),
    rateLimited(registerLiveLanding),
    registerCashierWeb,
    rateLimited(registerPatientWeb),
    registerNotifyOps,
    registerHome,
    registerConsole,
  ];
}
