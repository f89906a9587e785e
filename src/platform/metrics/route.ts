import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { operatorAllowed } from '../operator-access.js';
import type { Platform } from '../platform.js';
import { joinClusterMetrics, metricsOfAllWorkers } from './cluster.js';
import { instruments } from './instruments.js';
import { readGaugesFrom, renderMetrics } from './scrape.js';

const METRICS_PATH = '/metrics';

/**
 * GET /metrics in Prometheus' text format, for operators only (the same rule
 * as the operator pages: ONEPAY_OPERATOR_TOKEN as a bearer token, or loopback
 * when no token is set): its counts tell who is paying how much, how often.
 * A worker of `serve --workers` (`clusterWorker`) answers with every
 * worker's metrics, gathered by the primary.
 */
export function registerMetrics(
  app: FastifyInstance,
  platform: Platform,
  options: { readonly clusterWorker?: boolean } = {},
): void {
  const token = process.env['ONEPAY_OPERATOR_TOKEN'] || undefined;
  instruments.enableProcessMetrics();
  readGaugesFrom(platform);
  if (options.clusterWorker) joinClusterMetrics();
  app.get(METRICS_PATH, async (req, reply) => {
    if (!operatorAllowed(req, token)) return reply.code(403).send({ ok: false, message: 'operator only' });
    // A worker of `serve --workers` answers for the whole platform (cluster.ts). Otherwise the
    // gauges read this server's platform: a test process may hold several, one after another.
    if (!options.clusterWorker) readGaugesFrom(platform);
    const text = options.clusterWorker ? await metricsOfAllWorkers() : await renderMetrics();
    return reply.header('cache-control', 'no-store').type(instruments.registry.contentType).send(text);
  });
}

/**
 * Counts the live event streams (onepay_open_streams) without the pages'
 * code knowing: every GET route of the pages gets a hook that, for a request
 * asking for `text/event-stream` (what a browser's EventSource sends), adds
 * one until the connection closes. Added before the routes are registered;
 * the API's POST route gets no hook, so calls pay nothing for it.
 */
export function countEventStreams(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET')) return;
    const open = instruments.openStreams.labels(route.url);
    const hook = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      if (req.headers.accept?.includes('text/event-stream')) {
        open.inc();
        reply.raw.once('close', () => open.dec());
      }
      done();
    };
    const existing = route.onRequest;
    route.onRequest = existing ? [...(Array.isArray(existing) ? existing : [existing]), hook] : [hook];
  });
}
