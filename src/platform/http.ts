import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { fail } from '../protocol/codes.js';
import {
  REQUEST_RECEIVE_TIMEOUT_MS,
  SERVER_CALL_TIMEOUT_MS,
  SERVER_KEEP_ALIVE_MS,
} from '../protocol/timeouts.js';
import { handleApiCall } from './gateway/api.js';
import { registerChannelNotices } from './gateway/channel-notices.js';
import { installHttpGuards } from './http-guards.js';
import { countEventStreams, registerMetrics } from './metrics/route.js';
import type { Platform } from './platform.js';
import { TurnWrites } from './turn-writes.js';

/** The spec's example address: http://10.10.10.110:1301/onepay-web/oneweb/oneapi */
export const API_PATH = '/onepay-web/oneweb/oneapi';

/**
 * A sealed 2048-character pindata is about 11 KB of envelope; 64 KiB leaves
 * room and still stops a client from making the platform buffer megabytes.
 */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Adds routes (the pages of src/web) to the platform's server; the platform never imports them. */
export type RouteRegistrar = (app: FastifyInstance, platform: Platform) => void;

interface HttpParts {
  /** Pages and their assets, handed in by whoever composes the server (src/server/serve.ts). */
  readonly routes?: readonly RouteRegistrar[];
  /** A worker of `serve --workers`: /metrics answers for every worker (metrics/cluster.ts). */
  readonly clusterWorker?: boolean;
}

export function buildHttp(platform: Platform, parts: HttpParts = {}): FastifyInstance {
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    // One structured line per call is written by the gateway; Fastify's per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A silent connection is cut only after the longest call behind it could have answered
    // (a barcode payment paying at its last poll); a slow sender is cut by requestTimeout.
    connectionTimeout: SERVER_CALL_TIMEOUT_MS,
    requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS,
    keepAliveTimeout: SERVER_KEEP_ALIVE_MS,
  });

  installHttpGuards(app, platform);
  countEventStreams(app);

  app.setErrorHandler((error: { code?: string; statusCode?: number }, req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      platform.log.warn(
        { path: req.url.slice(0, 80), peer: req.socket.remoteAddress },
        'oversized request refused',
      );
      return reply.code(413).send(fail('020002', `请求报文超过 ${BODY_LIMIT_BYTES} 字节`));
    }
    if (error.statusCode === 429) {
      return reply.code(429).type('text/plain; charset=utf-8').send('请求过于频繁, 请稍后再试');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || (error.statusCode ?? 500) < 500) {
      platform.log.warn(
        { path: req.url.slice(0, 80), peer: req.socket.remoteAddress },
        'malformed request refused',
      );
      return reply.code(400).send(fail('000004', '请求无法解析'));
    }
    platform.log.error({ err: error }, 'http error');
    return reply.code(500).send(fail('999999', '平台内部错误'));
  });

  // Node enforces requestTimeout only while headersTimeout does not exceed it (Node's default
  // headersTimeout is 60 s): without this a client trickling its body is never cut off.
  app.server.headersTimeout = Math.min(10_000, app.server.requestTimeout);

  app.register(async (api) => {
    // The envelope is parsed by the gateway itself, so every malformed body gets a spec code rather
    // than Fastify's 400. Scoped to the API: the pages keep Fastify's JSON parser.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const writes = new TurnWrites((error) => platform.log.error({ err: error }, 'reply not written'));
    api.post(API_PATH, async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : '';
      const answer = await handleApiCall(platform, body);
      if (answer.refused) {
        // Every refused authentication is seen: who tried, with what, from where.
        platform.log.warn(
          { ...answer.refused, requestId: answer.requestId, peer: req.socket.remoteAddress },
          'call refused',
        );
      }
      writes.add(() =>
        reply
          .code(answer.status)
          .header('x-request-id', answer.requestId)
          .type('application/json; charset=utf-8')
          .send(answer.body),
      );
      return reply;
    });
  });

  registerChannelNotices(app, platform);
  registerMetrics(app, platform, { clusterWorker: parts.clusterWorker === true });
  for (const register of parts.routes ?? []) register(app, platform);

  app.get('/health', async () => {
    await platform.store.db.selectFrom('apps').select('appid').limit(1).execute();
    // pid: with several workers (workers.ts) it tells which process answered.
    return { status: 'ok', store: platform.store.dialect, pid: process.pid };
  });

  return app;
}
