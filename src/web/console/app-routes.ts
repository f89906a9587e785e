import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAYS, isGateway } from '../../platform/channels/live/gateways.js';
import {
  appView,
  changeAppChannels,
  changeAppSettings,
  changeGatewayCredentials,
  createApp,
  listApps,
} from '../../platform/console/apps.js';
import { CHANNEL } from '../../protocol/dictionaries.js';
import { appHtml, appsHtml, CREDENTIAL_FIELDS } from './apps-page.js';
import { peerOf } from './auth.js';
import type { ConsoleContext } from './context.js';
import { CONSOLE_PREFIX, consolePage, type Flash, sendConsolePage } from './frame.js';
import { field, secretField } from './labels.js';

type Req = FastifyRequest<{ Params: Record<string, string> }>;

/** Keys and certificates in PEM or base64 are long; bounded all the same. */
const CREDENTIAL_MAX = 12_000;

/** The channel codes ticked on a form (one field per code: a form's repeated names would collapse). */
function tickedChannels(body: unknown): string[] {
  return Object.keys(CHANNEL).filter((code) => field(body, `ch_${code}`, 4) === '1');
}

/** 应用与渠道: what `onepay app …` and `onepay app channel …` do, for administrators only (frame.ts SECTIONS). */
export function registerAppPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  const { platform } = ctx;
  const who = (req: FastifyRequest) => ({
    actor: ctx.session(req).username,
    peer: peerOf(req),
    now: platform.clock(),
  });
  const config = { config: { consoleSection: 'apps' as const } };

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    flash?: Flash,
    created?: { appid: string; appsecret: string },
  ) {
    const session = ctx.session(req);
    const html = consolePage(
      session,
      'apps',
      '应用与渠道',
      appsHtml(session, await listApps(platform), created),
      flash,
    );
    return sendConsolePage(reply, status, html);
  }

  async function appPage(req: Req, reply: FastifyReply, status: number, flash?: Flash) {
    const session = ctx.session(req);
    const appid = String(req.params['appid']).slice(0, 64);
    const view = await appView(platform, appid);
    if (!view)
      return sendConsolePage(reply, 404, consolePage(session, 'apps', '应用不存在', '<p>没有这个应用</p>'));
    return sendConsolePage(
      reply,
      status,
      consolePage(session, 'apps', `应用 ${view.name}`, appHtml(session, view, GATEWAYS), flash),
    );
  }

  const answer = (outcome: { ok: boolean; message?: string }, done: string): [number, Flash] => [
    outcome.ok ? 200 : 409,
    { ok: outcome.ok, message: outcome.ok ? done : (outcome.message ?? '') },
  ];

  scope.get(`${CONSOLE_PREFIX}/apps`, config, async (req, reply) => listPage(req, reply, 200));

  scope.post(`${CONSOLE_PREFIX}/apps`, config, async (req, reply) => {
    const outcome = await createApp(
      platform,
      {
        name: field(req.body, 'name', 80),
        sandbox: field(req.body, 'sandbox', 4) === '1',
        channels: tickedChannels(req.body),
        hisUrl: field(req.body, 'hisUrl'),
        hisKey: secretField(req.body, 'hisKey'),
      },
      who(req),
    );
    if (!outcome.ok) return listPage(req, reply, 409, { ok: false, message: outcome.message });
    return listPage(req, reply, 200, { ok: true, message: `应用 ${outcome.appid} 已创建` }, outcome);
  });

  scope.get(`${CONSOLE_PREFIX}/apps/:appid`, config, async (req: Req, reply) => appPage(req, reply, 200));

  scope.post(`${CONSOLE_PREFIX}/apps/:appid/settings`, config, async (req: Req, reply) => {
    const ttl = field(req.body, 'orderTtlMinutes', 8);
    const outcome = await changeAppSettings(
      platform,
      String(req.params['appid']).slice(0, 64),
      {
        settings: {
          ...(ttl !== '' ? { orderTtlMinutes: ttl } : {}),
          strictParams: field(req.body, 'strictParams', 8) === 'true' ? 'true' : 'false',
          allowInsecureHttp: field(req.body, 'allowInsecureHttp', 8) === 'true' ? 'true' : 'false',
        },
        disabled: field(req.body, 'disabled', 8) === 'true',
        hisUrl: field(req.body, 'hisUrl'),
        hisKey: secretField(req.body, 'hisKey'),
      },
      who(req),
    );
    return appPage(req, reply, ...answer(outcome, '设置已保存'));
  });

  scope.post(`${CONSOLE_PREFIX}/apps/:appid/channels`, config, async (req: Req, reply) => {
    const outcome = await changeAppChannels(
      platform,
      String(req.params['appid']).slice(0, 64),
      tickedChannels(req.body),
      who(req),
    );
    return appPage(req, reply, ...answer(outcome, '支付渠道已保存'));
  });

  scope.post(`${CONSOLE_PREFIX}/apps/:appid/gateways/:gateway`, config, async (req: Req, reply) => {
    const gateway = String(req.params['gateway']);
    if (!isGateway(gateway)) return appPage(req, reply, 404, { ok: false, message: '没有这个支付网关' });
    const submitted = Object.fromEntries(
      CREDENTIAL_FIELDS[gateway].map((f) => [f.name, secretField(req.body, f.name, CREDENTIAL_MAX).trim()]),
    );
    const outcome = await changeGatewayCredentials(
      platform,
      String(req.params['appid']).slice(0, 64),
      gateway,
      submitted,
      who(req),
    );
    return appPage(req, reply, ...answer(outcome, '商户参数已保存'));
  });
}
