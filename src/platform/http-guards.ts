import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';
import { isLoopback } from './loopback.js';
import type { Platform } from './platform.js';

/**
 * Past this many open connections a new one is refused at once, so idle
 * sockets cannot starve fresh ones (the default open-files limit is 1,024).
 */
const DEFAULT_MAX_CONNECTIONS = 800;

/** Open connections allowed at once (ONEPAY_MAX_CONNECTIONS); the pages' live streams take a share (web/shared/sse.ts). */
export function maxConnections(): number {
  const configured = Number(process.env['ONEPAY_MAX_CONNECTIONS']);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_CONNECTIONS;
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The names a browser may use to reach the platform's pages: the public URL's
 * host and loopback. Anything else in a Host header is a page of another
 * site pointed at this server by DNS (rebinding): refused.
 */
function hostAllowed(platform: Platform, hostHeader: string | undefined): boolean {
  const name = hostnameOf(hostHeader);
  if (!name) return false;
  if (isLoopback(name)) return true;
  try {
    return name === new URL(platform.publicUrl).hostname;
  } catch {
    return false;
  }
}

/**
 * A state-changing request from a browser must come from the platform's own
 * pages: the Origin (or, without it, Sec-Fetch-Site) says where it came from.
 * Requests without either (curl, the HIS's HTTP stack) are not from a page.
 */
function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  // A form posted from a page whose Referrer-Policy is no-referrer says `Origin: null`: Sec-Fetch-Site decides.
  if (origin !== undefined && origin !== 'null') {
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (origin === 'null') return site === 'same-origin';
  return site === undefined || site === 'same-origin' || site === 'none';
}

const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The pages set a few style attributes; styles cannot run code.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  // The pages are plain HTTP on many hospital LANs: HSTS belongs to the HTTPS proxy in front.
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * The security headers helmet sets, taken once from helmet itself. They do
 * not depend on the request, and @fastify/helmet rebuilt helmet (parsing the
 * CSP directives) on every request: 3 % of the platform's CPU under load.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => undefined,
  };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * The web surfaces' guards, installed once on the server:
 * - security headers on every answer (CSP: scripts and styles from the
 *   platform only; no framing; no sniffing; no referrer leaks);
 * - a cap on connections;
 * - pages answer only to allowed Host names, and their POSTs only from
 *   their own origin (the signed API and the gateways' notices are exempt:
 *   they authenticate themselves).
 * One hook without a promise: it runs on every call of the API.
 */
export function installHttpGuards(app: FastifyInstance, platform: Platform): void {
  app.server.maxConnections = maxConnections();
  const headers = securityHeaders();
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(headers);
    const path = req.url.split('?')[0] ?? '';
    // The signed API, the gateways' notices and health checks authenticate (or need) no browser.
    if (path.startsWith('/onepay-web/') || path.startsWith('/channels/') || path === '/health') return done();
    if (!hostAllowed(platform, req.headers.host)) {
      platform.log.warn(
        { host: req.headers.host, peer: req.socket.remoteAddress },
        'page refused: Host not allowed',
      );
      reply.code(421).type('text/plain; charset=utf-8').send('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
      platform.log.warn(
        { path, origin: req.headers.origin, peer: req.socket.remoteAddress },
        'cross-site POST refused',
      );
      reply.code(403).type('text/plain; charset=utf-8').send('cross-site request refused');
      return;
    }
    done();
  });
}
