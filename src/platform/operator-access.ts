import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isLoopback } from './loopback.js';

/**
 * Operator access: with ONEPAY_OPERATOR_TOKEN set, a matching
 * `Authorization: Bearer …` is required from anywhere; without it only
 * loopback connections are served (behind a reverse proxy every caller looks
 * local, so production sets the token).
 */
export function operatorAllowed(req: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const got = Buffer.from(req.headers.authorization ?? '');
    const want = Buffer.from(`Bearer ${token}`);
    return got.length === want.length && timingSafeEqual(got, want);
  }
  return isLoopback(req.socket.remoteAddress ?? '');
}
