import type { FastifyRequest } from 'fastify';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import type { ConsoleDb } from '../../platform/console/tables.js';
import type { Platform } from '../../platform/platform.js';
import type { Section } from './frame.js';

/** What every console section works with: the platform, its database with the console's tables, the request's session. */
export interface ConsoleContext {
  readonly platform: Platform;
  readonly db: ConsoleDb;
  /** The session the guard found for this request (every section route has one). */
  session(req: FastifyRequest): ConsoleSession;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The console section a route belongs to: the guard checks the role against it. */
    consoleSection?: Section;
  }
}
