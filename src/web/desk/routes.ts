import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { orderKey, publishOrder } from '../../platform/events/bus.js';
import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { findOrder } from '../../platform/trades/orders.js';
import { cancelAtDesk, orderOfDeskToken, payAtDesk } from '../../platform/trades/pay/desk.js';
import type { Answer } from '../../protocol/codes.js';
import { screenPath } from '../screen/key.js';
import { noticePage, sendPage, text } from '../shared/html.js';
import { type MemoInput, SnapshotMemo } from '../shared/snapshot-memo.js';
import { type Snapshot, streamSnapshots } from '../shared/sse.js';
import { barcodeChannel } from './choices.js';
import { deskPage } from './page.js';
import { deskPanel } from './panel.js';
import { deskView } from './view.js';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/** Desk tokens are the trace number, a dash and 24 hex digits; anything else never reaches the database. */
const TOKEN = /^\d{14}[0-9a-f]{12}-[0-9a-f]{24}$/;
/** The desk answers a click within this; a barcode still polling goes on and shows up over SSE. */
const ANSWER_WITHIN_MS = 2_000;
const AUTH_CODE = /^\d{10,32}$/;

async function snapshot(platform: Platform, order: OrderTable) {
  const app = await platform.apps.find(order.appid);
  const view = await deskView(platform, app, order);
  return { state: view.state, final: view.final, now: platform.clock(), panel: deskPanel(view) };
}

/** All the desk's snapshot is built from: the order, and its app's name, mode and the channels it can take now. */
async function snapshotInputs(platform: Platform, order: OrderTable): Promise<MemoInput[]> {
  const app = await platform.apps.find(order.appid);
  const usable = app ? await platform.channels.usable(app) : [];
  return [order, app?.name, app?.mode, usable.join(' ')];
}

async function current(platform: Platform, order: OrderTable): Promise<OrderTable> {
  return (await findOrder(platform.store.db, order.appid, order.trace_no)) ?? order;
}

function body(req: FastifyRequest): Record<string, unknown> {
  return req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

/** Codes that mean "the money is on its way", not a refusal the cashier must read. */
const UNDER_WAY = new Set(['000000', '040038']);

async function answerAfterPay(
  platform: Platform,
  reply: FastifyReply,
  order: OrderTable,
  answer: Answer | undefined,
) {
  const now = await current(platform, order);
  const ok = answer === undefined || UNDER_WAY.has(answer.respCode);
  return reply.send({
    ok,
    message: ok ? '' : (answer?.respMsg ?? ''),
    snapshot: await snapshot(platform, now),
  });
}

export function registerDeskRoutes(app: FastifyInstance, platform: Platform): void {
  async function orderOf(req: TokenRequest): Promise<OrderTable | undefined> {
    const { token } = req.params;
    if (!TOKEN.test(token)) return undefined;
    const order = await orderOfDeskToken(platform, token);
    return order?.kind === 'recharge' ? order : undefined;
  }

  app.get('/desk/:token', async (req: TokenRequest, reply) => {
    const order = await orderOf(req);
    if (!order)
      return sendPage(reply, 404, noticePage('收银台', '收银台地址无效或已失效, 请从 HIS 重新发起'));
    const owner = await platform.apps.find(order.appid);
    const view = await deskView(platform, owner, order);
    const screen = owner && order.term_no ? screenPath(owner, order.term_no) : undefined;
    return sendPage(reply, 200, deskPage(view, `/desk/${req.params.token}`, screen));
  });

  app.get('/desk/:token/status', async (req: TokenRequest, reply) => {
    const order = await orderOf(req);
    if (!order) return reply.code(404).send({ ok: false, message: '收银台地址无效' });
    const memo = new SnapshotMemo<Snapshot>();
    return streamSnapshots(
      req,
      reply,
      () => [orderKey(order.trace_no)],
      async () => {
        const now = await findOrder(platform.store.db, order.appid, order.trace_no);
        return now ? memo.of(await snapshotInputs(platform, now), () => snapshot(platform, now)) : null;
      },
    );
  });

  app.post('/desk/:token/pay', async (req: TokenRequest, reply) => {
    const found = await orderOf(req);
    if (!found) return reply.code(404).send({ ok: false, message: '收银台地址无效' });
    const order = await current(platform, found);
    if (order.state !== 'init') {
      return reply.send({
        ok: false,
        message: '本单已在收款或已结束',
        snapshot: await snapshot(platform, order),
      });
    }
    if (order.expire_at !== null && order.expire_at <= platform.clock()) {
      await cancelAtDesk(platform, order);
      publishOrder(order);
      return answerAfterPay(platform, reply, order, { respCode: '035001', respMsg: '订单已过期, 已关闭' });
    }
    const owner = await platform.apps.find(order.appid);
    if (!owner) return reply.code(404).send({ ok: false, message: '应用不存在' });
    const view = await deskView(platform, owner, order);
    const fields = body(req);
    const picked = text(fields['channel']);
    const choice = view.choices.find((c) => c.code === picked);
    if (!choice) return reply.code(400).send({ ok: false, message: `不能用 ${picked} 收款` });
    let channel = choice.code;
    const extra: Record<string, unknown> = {};
    if (choice.kind === 'barcode') {
      const authCode = text(fields['authCode']).trim();
      if (!AUTH_CODE.test(authCode))
        return reply.code(400).send({ ok: false, message: '付款码应为 10–32 位数字' });
      const routed = barcodeChannel(new Set(await platform.channels.usable(owner)), order.channel, authCode);
      if ('refusal' in routed) return reply.code(400).send({ ok: false, message: routed.refusal });
      channel = routed.channel;
      extra['authCode'] = authCode;
    }
    if (choice.kind === 'pos') extra['PosNo'] = text(fields['PosNo']) || view.posNo || '1';

    const paying = payAtDesk(platform, order, channel, extra)
      .catch((error: unknown): Answer => {
        req.log.error({ err: error, traceNo: order.trace_no }, 'desk payment failed');
        return { respCode: '999999', respMsg: '收款异常, 请稍候查询结果' };
      })
      .finally(() => publishOrder(order));
    publishOrder(order); // the order left "init" (or is about to): the screen shows "paying"
    const answer = await Promise.race([paying, delay(ANSWER_WITHIN_MS, undefined, { ref: false })]);
    return answerAfterPay(platform, reply, order, answer);
  });

  app.post('/desk/:token/cancel', async (req: TokenRequest, reply) => {
    const order = await orderOf(req);
    if (!order) return reply.code(404).send({ ok: false, message: '收银台地址无效' });
    const answer = await cancelAtDesk(platform, order);
    publishOrder(order);
    const ok = answer.respCode === '000000';
    const now = await current(platform, order);
    return reply.send({ ok, message: ok ? '' : answer.respMsg, snapshot: await snapshot(platform, now) });
  });
}
