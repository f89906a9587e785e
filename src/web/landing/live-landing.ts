import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AlipayConfig, alipayDriver } from '../../platform/channels/alipay/index.js';
import { alipayAuthorizeUrl, alipayBuyerOf } from '../../platform/channels/alipay/oauth.js';
import { isLandingToken } from '../../platform/channels/live/index.js';
import type { ChannelPayment } from '../../platform/channels/types.js';
import { type WechatConfig, wechatDriver } from '../../platform/channels/wechat/index.js';
import { wechatAuthorizeUrl, wechatOpenidOf } from '../../platform/channels/wechat/oauth.js';
import type { Platform } from '../../platform/platform.js';
import {
  type LandingOrder,
  landingProblemPage,
  openWithWalletPage,
  type WalletSheet,
  walletPayPage,
} from './live-pages.js';
import { walletOfUserAgent } from './user-agent.js';

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: Record<string, string> }>;

/** An open live ONE_QR order a genuine landing token names. */
interface OpenOrder extends LandingOrder {
  readonly appid: string;
  readonly traceNo: string;
  readonly termNo: string;
  readonly expireAt: number;
}

type Opened =
  | { readonly ok: true; readonly order: OpenOrder }
  | { readonly ok: false; readonly status: number; readonly title: string; readonly message: string };

const NOT_FOUND: Extract<Opened, { ok: false }> = {
  ok: false,
  status: 404,
  title: '二维码无效',
  message: '未找到此订单，请向收费处索取新的二维码',
};

/** The order of a landing token, while it can still be paid. */
async function openOrder(platform: Platform, token: string): Promise<Opened> {
  const traceNo = platform.gateways.landingTraceNo(token);
  if (!traceNo) return NOT_FOUND;
  const row = await platform.store.db
    .selectFrom('orders')
    .select(['appid', 'state', 'amount_fen', 'channel', 'expire_at', 'term_no'])
    .where('trace_no', '=', traceNo)
    .executeTakeFirst();
  const app = row && (await platform.apps.find(row.appid));
  if (!row || !app || app.mode !== 'live' || row.channel !== 'ONE_QR') return NOT_FOUND;
  const expireAt = Number(row.expire_at ?? 0);
  if (row.state === 'succ')
    return { ok: false, status: 409, title: '订单已支付', message: '此订单已支付成功，无需重复支付' };
  if (row.state !== 'ing' || platform.clock() > expireAt)
    return {
      ok: false,
      status: 410,
      title: '订单已关闭',
      message: '此订单已关闭或已超过支付时限，请向收费处索取新的二维码',
    };
  return {
    ok: true,
    order: {
      appid: row.appid,
      traceNo,
      termNo: row.term_no,
      expireAt,
      hospital: app.name,
      amountFen: Number(row.amount_fen),
    },
  };
}

function sendHtml(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

function problem(reply: FastifyReply, opened: Extract<Opened, { ok: false }>) {
  return sendHtml(reply, opened.status, landingProblemPage(opened.title, opened.message));
}

/** Where the wallet's authorization comes back to: the platform's own public URL, which the hospital registers with the wallet. */
function returnUrl(platform: Platform, token: string, wallet: 'alipay' | 'wechat'): string {
  return `${platform.publicUrl.replace(/\/+$/, '')}/q/${token}/${wallet}`;
}

/** The state parameter of the authorization: the token's mac, checked when the wallet comes back. */
function stateOf(token: string): string {
  return token.slice(token.indexOf('.') + 1);
}

async function credentialsOf(platform: Platform, appid: string, gateway: 'alipay' | 'wechat') {
  const raw = await platform.credentials.get(appid, gateway);
  if (!raw) return undefined;
  try {
    return gateway === 'alipay'
      ? { raw, alipay: alipayDriver.parseConfig(raw) as AlipayConfig }
      : { raw, wechat: wechatDriver.parseConfig(raw) as WechatConfig };
  } catch {
    return undefined;
  }
}

/**
 * GET /q/<token> of a live ONE_QR order: Alipay's browser goes to Alipay's
 * web authorization (auth_base), WeChat's to the official account's
 * (snsapi_base), both silently coming back to /q/<token>/<wallet>; any other
 * browser is asked to scan with a wallet.
 */
export async function serveLiveLanding(
  platform: Platform,
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
) {
  const opened = await openOrder(platform, token);
  if (!opened.ok) return problem(reply, opened);
  const wallet = walletOfUserAgent(req.headers['user-agent']);
  if (wallet === 'alipay' || wallet === 'wechat') {
    const creds = await credentialsOf(platform, opened.order.appid, wallet);
    const url = creds?.alipay
      ? alipayAuthorizeUrl(creds.alipay, creds.raw, returnUrl(platform, token, 'alipay'), stateOf(token))
      : creds?.wechat
        ? wechatAuthorizeUrl(creds.wechat, creds.raw, returnUrl(platform, token, 'wechat'), stateOf(token))
        : undefined;
    if (url) return reply.code(302).header('cache-control', 'no-store').redirect(url);
  }
  return sendHtml(reply, 200, openWithWalletPage(opened.order));
}

function paymentOf(order: OpenOrder): ChannelPayment {
  return {
    traceNo: order.traceNo,
    appid: order.appid,
    channel: 'ONE_QR',
    amountFen: order.amountFen,
    subject: `${order.hospital}缴费`,
    termNo: order.termNo,
    extra: {},
    expireAt: order.expireAt,
  };
}

/** The wallet came back with its one-time code: the payer, the trade in that wallet, its payment sheet. */
async function afterAuthorization(
  platform: Platform,
  req: TokenRequest,
  reply: FastifyReply,
  wallet: 'alipay' | 'wechat',
) {
  const { token } = req.params;
  if (!isLandingToken(token) || req.query['state'] !== stateOf(token)) return problem(reply, NOT_FOUND);
  const opened = await openOrder(platform, token);
  if (!opened.ok) return problem(reply, opened);
  const { order } = opened;
  const creds = await credentialsOf(platform, order.appid, wallet);
  if (!creds)
    return sendHtml(reply, 409, landingProblemPage('无法支付', '本院未开通该钱包收款，请改用其他方式'));
  const code = String(req.query[wallet === 'alipay' ? 'auth_code' : 'code'] ?? '');
  const payer = creds.alipay
    ? await alipayBuyerOf(creds.alipay, code).then((a) => (a.ok ? { ok: true as const, id: a.buyerId } : a))
    : creds.wechat
      ? await wechatOpenidOf(creds.wechat, creds.raw, code).then((a) =>
          a.ok ? { ok: true as const, id: a.openid } : a,
        )
      : { ok: false as const, message: '本院未开通该钱包收款' };
  if (!payer.ok) return sendHtml(reply, 502, landingProblemPage('授权失败', `${payer.message}，请重新扫码`));
  const router = platform.gateways.oneCodeRouter(order.appid);
  const result = await router.payAtLanding(paymentOf(order), wallet === 'alipay' ? 'ALI' : 'WX', payer.id);
  if (result.state === 'success')
    return sendHtml(reply, 409, landingProblemPage('订单已支付', '此订单已支付成功，无需重复支付'));
  const sheet: WalletSheet | undefined =
    result.state !== 'pending'
      ? undefined
      : wallet === 'alipay' && result.channelTradeNo
        ? { wallet, tradeNO: result.channelTradeNo }
        : wallet === 'wechat' && result.extra?.['package']
          ? { wallet, params: result.extra }
          : undefined;
  if (!sheet)
    return sendHtml(
      reply,
      409,
      landingProblemPage('无法支付', result.message ?? '钱包未能受理此订单，请重新扫码'),
    );
  return sendHtml(reply, 200, walletPayPage(order, sheet));
}

/** The wallets' authorization return paths of the one-QR landing (GET /q/<token> itself is served with the sandbox wallet's). */
export function registerLiveLanding(scope: FastifyInstance, platform: Platform): void {
  scope.get('/q/:token/alipay', (req: TokenRequest, reply) =>
    afterAuthorization(platform, req, reply, 'alipay'),
  );
  scope.get('/q/:token/wechat', (req: TokenRequest, reply) =>
    afterAuthorization(platform, req, reply, 'wechat'),
  );
}
