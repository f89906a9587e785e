import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { orderKey } from '../../platform/events/bus.js';
import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { findOrder } from '../../platform/trades/orders.js';
import {
  cancelRefundDesk,
  closeStaleRefundDesk,
  refundAtDesk,
  refundDeskOfToken,
} from '../../platform/trades/refund/desk.js';
import type { Answer } from '../../protocol/codes.js';
import { noticePage, sendPage, text } from '../shared/html.js';
import { streamSnapshots } from '../shared/sse.js';
import { refundDeskPage } from './page.js';
import { refundDeskView, refundPanel } from './view.js';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

const TOKEN = /^\d{14}[0-9a-f]{12}-[0-9a-f]{24}$/;
/** As at the desk: a slow HIS step or channel shows up over SSE instead of holding the click. */
const ANSWER_WITHIN_MS = 2_000;
const UNDER_WAY = new Set(['000000', '040038', '040037']);

async function snapshot(platform: Platform, row: OrderTable) {
  const view = await refundDeskView(platform, row);
  return { state: view.state, final: view.final, now: platform.clock(), panel: refundPanel(view) };
}

async function reread(platform: Platform, row: OrderTable): Promise<OrderTable> {
  return (await findOrder(platform.store.db, row.appid, row.trace_no)) ?? row;
}

async function reply200(
  platform: Platform,
  reply: FastifyReply,
  row: OrderTable,
  answer: Answer | undefined,
) {
  const ok = answer === undefined || UNDER_WAY.has(answer.respCode);
  const now = await reread(platform, row);
  return reply.send({
    ok,
    message: ok ? '' : (answer?.respMsg ?? ''),
    snapshot: await snapshot(platform, now),
  });
}

export function registerRefundDeskRoutes(app: FastifyInstance, platform: Platform): void {
  async function rowOf(req: TokenRequest): Promise<OrderTable | undefined> {
    if (!TOKEN.test(req.params.token)) return undefined;
    const row = await refundDeskOfToken(platform, req.params.token);
    return row ? closeStaleRefundDesk(platform, row) : undefined;
  }

  app.get('/refund-desk/:token', async (req: TokenRequest, reply) => {
    const row = await rowOf(req);
    if (!row)
      return sendPage(reply, 404, noticePage('退款收银台', '退款收银台地址无效或已失效, 请从 HIS 重新发起'));
    const view = await refundDeskView(platform, row);
    return sendPage(reply, 200, refundDeskPage(view, `/refund-desk/${req.params.token}`));
  });

  app.get('/refund-desk/:token/status', async (req: TokenRequest, reply) => {
    const row = await rowOf(req);
    if (!row) return reply.code(404).send({ ok: false, message: '退款收银台地址无效' });
    return streamSnapshots(
      req,
      reply,
      () => [orderKey(row.trace_no)],
      async () => {
        const now = await findOrder(platform.store.db, row.appid, row.trace_no);
        return now ? snapshot(platform, now) : null;
      },
    );
  });

  app.post('/refund-desk/:token/refund', async (req: TokenRequest, reply) => {
    const row = await rowOf(req);
    if (!row) return reply.code(404).send({ ok: false, message: '退款收银台地址无效' });
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const origTraceNo = text(fields['traceNo']);
    if (!/^\d{14}[0-9a-f]{12}$/.test(origTraceNo)) {
      return reply.code(400).send({ ok: false, message: '请选择要退款的订单' });
    }
    const refunding = refundAtDesk(platform, row, origTraceNo).catch((error: unknown): Answer => {
      req.log.error({ err: error, traceNo: row.trace_no }, 'desk refund failed');
      return { respCode: '999999', respMsg: '退款异常, 请稍候查询结果' };
    });
    const answer = await Promise.race([refunding, delay(ANSWER_WITHIN_MS, undefined, { ref: false })]);
    return reply200(platform, reply, row, answer);
  });

  app.post('/refund-desk/:token/cancel', async (req: TokenRequest, reply) => {
    const row = await rowOf(req);
    if (!row) return reply.code(404).send({ ok: false, message: '退款收银台地址无效' });
    const answer = await cancelRefundDesk(platform, row, '操作员在退款收银台取消');
    return reply200(platform, reply, row, answer.respCode === '035001' ? undefined : answer);
  });
}
