import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { registerIdentitySandbox } from '../identity/routes.js';
import { registerPatientPages } from './routes.js';

/** Every page a patient opens: notifications, wristbands and identity. */
export function registerPatientWeb(app: FastifyInstance, platform: Platform): void {
  registerPatientPages(app, platform);
  registerIdentitySandbox(app, platform);
}
