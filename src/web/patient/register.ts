import type { FastifyInstance } from 'fastify';
import { registerNotifyOps } from '../../platform/notify/ops.js';
import type { Platform } from '../../platform/platform.js';
import { registerIdentitySandbox } from '../identity/routes.js';
import { registerPatientPages } from './routes.js';

/** Every page of notifications, wristbands and identity: one call from buildHttp. */
export function registerPatientWeb(app: FastifyInstance, platform: Platform): void {
  registerPatientPages(app, platform);
  registerIdentitySandbox(app, platform);
  registerNotifyOps(app, platform);
}
