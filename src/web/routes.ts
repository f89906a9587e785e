import type { SandboxChannels } from '../platform/channels/sandbox/index.js';
import type { RouteRegistrar } from '../platform/http.js';
import { registerNotifyOps } from './ops/routes.js';
import { registerPatientWeb } from './patient/register.js';
import { registerSandboxRoutes } from './sandbox/routes.js';
import { registerCashierWeb } from './shared/register.js';

/** Every page the platform serves: the cashier's, the patients', the operators' and the sandbox wallet. */
export function webRoutes(sandbox?: SandboxChannels): RouteRegistrar[] {
  return [
    ...(sandbox ? [(app: Parameters<RouteRegistrar>[0]) => registerSandboxRoutes(app, sandbox)] : []),
    registerCashierWeb,
    registerPatientWeb,
    registerNotifyOps,
  ];
}
