import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ConsoleSession, findSession, SESSION_HOURS } from '../../platform/console/sessions.js';
import type { ConsoleDb } from '../../platform/console/tables.js';
import { isLoopback } from '../../platform/loopback.js';
import type { Platform } from '../../platform/platform.js';
import { CONSOLE_PREFIX } from './frame.js';

export const SESSION_COOKIE = 'onepay_console';
/** Before log-in there is no session to hold a CSRF token: the log-in form's token is paired with this cookie. */
export const LOGIN_COOKIE = 'onepay_console_login';

export function cookiesOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * `Secure` whenever the browser will keep such a cookie: the platform's
 * public URL is HTTPS, or the page is reached over loopback (browsers treat
 * http://127.0.0.1 as secure). On a plain-HTTP LAN address a Secure cookie
 * would be dropped and nobody could log in; the log-in page says so instead.
 */
export function secureContext(platform: Platform, req: FastifyRequest): boolean {
  if (platform.publicUrl.startsWith('https://')) return true;
  let host = '';
  try {
    host = new URL(`http://${req.headers.host ?? ''}`).hostname;
  } catch {
    return false;
  }
  return isLoopback(host);
}

function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${name}=${value}`,
    `Path=${CONSOLE_PREFIX}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function setSessionCookie(reply: FastifyReply, id: string, secure: boolean): void {
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, id, SESSION_HOURS * 3600, secure),
    cookie(LOGIN_COOKIE, '', 0, secure),
  ]);
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.header('set-cookie', cookie(SESSION_COOKIE, '', 0, secure));
}

/** A fresh token for the log-in form, set as a cookie too; the POST must bring both, equal. */
export function issueLoginToken(reply: FastifyReply, secure: boolean): string {
  const token = randomBytes(24).toString('base64url');
  reply.header('set-cookie', cookie(LOGIN_COOKIE, token, 3600, secure));
  return token;
}

export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function sessionOf(
  db: ConsoleDb,
  req: FastifyRequest,
  now: number,
): Promise<ConsoleSession | undefined> {
  const id = cookiesOf(req)[SESSION_COOKIE];
  return id ? findSession(db, id, now) : undefined;
}

export function peerOf(req: FastifyRequest): string {
  return req.socket.remoteAddress ?? '';
}
