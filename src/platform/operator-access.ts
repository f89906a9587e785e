import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

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
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}
