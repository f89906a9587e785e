import type { FastifyInstance } from 'fastify';
import { isGateway, NOTICE_ROUTE } from '../channels/live/index.js';
import type { Platform } from '../platform.js';
import { onChannelNotify } from '../trades/notify.js';

/** A gateway's notification is a few KB at most; anything larger is not one. */
const NOTICE_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Where payment gateways post their asynchronous notifications for a live
 * app (`noticePath`). The app's adapter verifies the message (signature,
 * time window, its own app and merchant) and says what to answer; a genuine
 * notice only makes the platform ask the channel, whose answer settles the
 * order. When the platform could not act on it, the gateway is answered
 * with a failure so that it sends it again.
 */
export function registerChannelNotices(app: FastifyInstance, platform: Platform): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: NOTICE_BODY_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post<{ Params: { appid: string; gateway: string } }>(NOTICE_ROUTE, async (req, reply) => {
      const { appid, gateway } = req.params;
      const owner = await platform.apps.find(appid);
      if (owner?.mode !== 'live' || !isGateway(gateway)) return reply.code(404).send('not found');
      const adapter = await platform.gateways.forGateway(owner, gateway);
      if (!adapter?.handleNotice) return reply.code(404).send('not found');
      const body = typeof req.body === 'string' ? req.body : '';
      const outcome = await adapter.handleNotice(appid, { headers: req.headers, body });
      if (outcome.payment) {
        try {
          await onChannelNotify(platform, outcome.payment.traceNo, appid);
        } catch (error) {
          platform.log.warn(
            { err: error, appid, gateway, traceNo: outcome.payment.traceNo },
            'channel notice not handled',
          );
          return reply.code(500).send('retry');
        }
      } else if (outcome.reply.status >= 400) {
        platform.log.warn({ appid, gateway, peer: req.socket.remoteAddress }, 'channel notice refused');
      }
      return reply.code(outcome.reply.status).type(outcome.reply.contentType).send(outcome.reply.body);
    });
  });
}
