import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowsInsecureHttp } from '../../platform/apps/url-policy.js';
import { loadNotifyConfig, saveNotifyConfig } from '../../platform/notify/config.js';
import { NOTIFY_TOPICS } from '../../platform/notify/messages.js';
import { operatorAllowed } from '../../platform/operator-access.js';
import type { Platform } from '../../platform/platform.js';
import { beijingDisplay } from '../../protocol/time.js';
import { renderOpsPage } from './page.js';

const MAX_LIST = 200;
const BODY_LIMIT_BYTES = 16 * 1024;

function redacted(config: Awaited<ReturnType<typeof loadNotifyConfig>>) {
  return {
    centre: config.centre,
    ...(config.webhook ? { webhook: { url: config.webhook.url, secret: '***' } } : {}),
    ...(config.wechat ? { wechat: { ...config.wechat, appSecret: '***' } } : {}),
  };
}

/** The operator's view of deliveries: list, resend, and each hospital's channels. */
export function registerNotifyOps(app: FastifyInstance, platform: Platform): void {
  const token = process.env['ONEPAY_OPERATOR_TOKEN'] || undefined;
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      // The page is an empty shell: its data comes from the guarded JSON routes.
      if (req.url === '/ops/notify') return;
      if (!operatorAllowed(req, token)) return reply.code(403).send({ ok: false, message: 'operator only' });
    });

    scope.get('/ops/notify', async (_req, reply) =>
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderOpsPage()),
    );

    scope.get<{ Querystring: { state?: string; appid?: string; limit?: string } }>(
      '/ops/notify/deliveries',
      async (req) => {
        const limit = Math.min(Math.max(Number(req.query.limit) || 50, 1), MAX_LIST);
        let q = platform.store.db
          .selectFrom('outbox')
          .selectAll()
          .where('topic', 'in', NOTIFY_TOPICS)
          .orderBy('id', 'desc')
          .limit(limit);
        const state = req.query.state;
        if (state === 'ing' || state === 'succ' || state === 'fail') q = q.where('state', '=', state);
        if (req.query.appid) q = q.where('appid', '=', req.query.appid);
        const rows = await q.execute();
        return {
          ok: true,
          deliveries: rows.map((r) => ({
            id: r.id,
            eventId: r.event_id,
            appid: r.appid,
            channel: r.topic.replace(/^notify\./, ''),
            state: r.state,
            attempts: r.attempts,
            nextAt: r.state === 'ing' ? beijingDisplay(r.next_at) : '',
            lastError: r.last_error ?? '',
            createdAt: beijingDisplay(r.created_at),
            updatedAt: beijingDisplay(r.updated_at),
          })),
        };
      },
    );

    scope.post<{ Params: { id: string } }>('/ops/notify/deliveries/:id/resend', async (req, reply) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) return reply.code(400).send({ ok: false, message: 'bad id' });
      const now = platform.clock();
      const result = await platform.store.db
        .updateTable('outbox')
        .set({ state: 'ing', next_at: now, updated_at: now })
        .where('id', '=', id)
        .where('topic', 'in', NOTIFY_TOPICS)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1)
        return reply.code(404).send({ ok: false, message: 'not found' });
      platform.log.info({ outboxId: id }, 'notification resend requested by operator');
      return { ok: true, id };
    });

    scope.get<{ Params: { appid: string } }>('/ops/notify/config/:appid', async (req) => ({
      ok: true,
      config: redacted(await loadNotifyConfig(platform, req.params.appid)),
    }));

    scope.put<{ Params: { appid: string } }>('/ops/notify/config/:appid', async (req, reply) => {
      const app = await platform.apps.find(req.params.appid);
      if (!app) return reply.code(404).send({ ok: false, message: 'unknown app' });
      try {
        const body = JSON.parse(typeof req.body === 'string' ? req.body : '') as unknown;
        const insecure = allowsInsecureHttp(app.config);
        const config = await saveNotifyConfig(platform, app.appid, body, platform.clock(), insecure);
        return { ok: true, config: redacted(config) };
      } catch (error) {
        return reply.code(400).send({ ok: false, message: (error as Error).message });
      }
    });
  });
}
