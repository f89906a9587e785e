import type { FastifyInstance, FastifyRequest } from 'fastify';
import { terminalKey } from '../../platform/events/bus.js';
import type { Platform } from '../../platform/platform.js';
import { deskView } from '../desk/view.js';
import { esc, noticePage, page, sendPage } from '../shared/html.js';
import { SnapshotMemo } from '../shared/snapshot-memo.js';
import { type Snapshot, streamSnapshots } from '../shared/sse.js';
import { ActiveDeskOrders } from './active-orders.js';
import { TerminalFollower } from './follow.js';
import { screenApp } from './key.js';
import { screenPanel } from './panel.js';

type ScreenRequest = FastifyRequest<{
  Params: { termNo: string };
  Querystring: { app?: string; k?: string };
}>;

export function registerScreenRoutes(app: FastifyInstance, platform: Platform): void {
  const active = new ActiveDeskOrders(platform);
  async function appOf(req: ScreenRequest) {
    return screenApp(platform, req.query.app ?? '', req.params.termNo, req.query.k ?? '');
  }

  app.get('/screen/:termNo', async (req: ScreenRequest, reply) => {
    const owner = await appOf(req);
    if (!owner)
      return sendPage(reply, 404, noticePage('拓展屏', '拓展屏地址无效: 请从收银台页面的"拓展屏地址"打开'));
    const follower = new TerminalFollower(platform, owner.appid, req.params.termNo, active);
    const order = await follower.current(true);
    const view = order ? await deskView(platform, owner, order) : undefined;
    const hospital = view?.hospital || owner.name;
    const query = new URLSearchParams({ app: owner.appid, k: req.query.k ?? '' });
    const status = `/screen/${encodeURIComponent(req.params.termNo)}/status?${query.toString()}`;
    const body = `<main id="panel" data-status="${esc(status)}" aria-live="polite">${screenPanel(hospital, view)}</main>`;
    return sendPage(
      reply,
      200,
      page({
        title: `${owner.name} 拓展屏`,
        body,
        script: 'screen.js',
        bodyClass: 'screen',
        refreshSeconds: 5,
        sandbox: owner.mode === 'sandbox',
      }),
    );
  });

  app.get('/screen/:termNo/status', async (req: ScreenRequest, reply) => {
    const owner = await appOf(req);
    if (!owner) return reply.code(404).send({ ok: false, message: '拓展屏地址无效' });
    const follower = new TerminalFollower(platform, owner.appid, req.params.termNo, active);
    // The screen shows the order and the stream's own app (fixed while it streams), no desk choices.
    const memo = new SnapshotMemo<Snapshot>();
    return streamSnapshots(
      req,
      reply,
      () => [terminalKey(owner.appid, req.params.termNo)],
      async (fresh) => {
        const order = await follower.current(fresh);
        return memo.of([order], async () => {
          const view = order ? await deskView(platform, owner, order) : undefined;
          return {
            state: view?.state ?? 'idle',
            now: platform.clock(),
            panel: screenPanel(view?.hospital || owner.name, view),
          };
        });
      },
    );
  });
}
