import type { FastifyInstance, FastifyReply } from 'fastify';
import { findAccount } from '../../platform/ledger/accounts.js';
import type { PushKind } from '../../platform/notify/kinds.js';
import { findMessageByToken } from '../../platform/notify/messages.js';
import { renderMessage } from '../../platform/notify/render.js';
import type { Platform } from '../../platform/platform.js';
import type { NotifyMessageTable } from '../../platform/store/index.js';
import { liveWristband } from '../../platform/wristband/codes.js';
import { parsePositiveYuan } from '../../protocol/money.js';
import { notice } from './html.js';
import { type MessagePageInput, renderCard, renderDetail } from './message-page.js';
import { topUpDeposit } from './topup.js';
import { renderWristbandPage } from './wristband-page.js';

/** An amount typed on a phone is a few bytes; anything bigger is not a form of ours. */
const FORM_LIMIT_BYTES = 2 * 1024;
const VIEW_TOKEN = /^[A-Za-z0-9_-]{24}$/;
/** The most a family member tops up in one go on the wristband page (fen); the desk takes more. */
const WRISTBAND_MAX_FEN = 5_000_000;

type Params = { Params: { token: string } };
type KeyParams = { Params: { key: string } };

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function formField(body: unknown, name: string): string {
  if (typeof body !== 'string') return '';
  return new URLSearchParams(body).get(name)?.trim() ?? '';
}

async function messagePage(platform: Platform, token: string): Promise<MessagePageInput | null> {
  if (!VIEW_TOKEN.test(token)) return null;
  const message: NotifyMessageTable | undefined = await findMessageByToken(platform.store.db, token);
  if (!message || message.pushed === 0) return null;
  const app = await platform.apps.find(message.appid);
  const hospital = app?.name ?? '';
  const param = platform.patientData.openFields(JSON.parse(message.param) as Record<string, unknown>);
  return {
    view: renderMessage(message.kind as PushKind, param, hospital),
    hospital,
    token,
    createdAt: message.created_at,
    sandbox: app?.mode === 'sandbox',
  };
}

/**
 * Patient H5 pages: the message centre (/p/m/:token) and the wristband
 * top-up (/p/wb/:key). The token or key in the URL is the only credential,
 * so both are unguessable and every answer is no-store.
 */
export function registerPatientPages(app: FastifyInstance, platform: Platform): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );

    scope.get<Params>('/p/m/:token', async (req, reply) => {
      const page = await messagePage(platform, req.params.token);
      if (!page) return html(reply, 404, notice('消息不存在', '该消息不存在或链接有误'));
      return html(reply, 200, renderCard(page));
    });

    scope.get<Params>('/p/m/:token/detail', async (req, reply) => {
      const page = await messagePage(platform, req.params.token);
      if (!page) return html(reply, 404, notice('消息不存在', '该消息不存在或链接有误'));
      return html(reply, 200, renderDetail(page));
    });

    scope.post<Params>('/p/m/:token/topup', async (req, reply) => {
      const page = await messagePage(platform, req.params.token);
      if (!page) return html(reply, 404, notice('消息不存在', '该消息不存在或链接有误'));
      if (page.view.shortfallFen <= 0) return html(reply, 409, renderDetail(page, '该消息无需补缴'));
      const message = await findMessageByToken(platform.store.db, req.params.token);
      if (!message) return html(reply, 404, notice('消息不存在', '该消息不存在或链接有误'));
      const outcome = await topUpDeposit(
        platform,
        {
          appid: message.appid,
          cardType: message.card_type,
          cardNo: message.card_no,
          // 补缴 is for the inpatient deposit whatever account the HIS named.
          accountType: message.account_type || '02',
        },
        page.view.shortfallFen,
        '住院预交金补缴',
        'H5-MSG',
      );
      if (!outcome.ok) return html(reply, 422, renderDetail(page, outcome.message));
      return reply.header('cache-control', 'no-store').redirect(outcome.payUrl, 303);
    });

    scope.get<KeyParams>('/p/wb/:key', async (req, reply) => {
      const db = platform.store.db;
      const live = await liveWristband(db, undefined, req.params.key);
      if (!live.ok) {
        return live.why === 'cancelled'
          ? html(reply, 410, notice('腕带码已失效', '该腕带码已被医院取消, 请联系住院处'))
          : html(reply, 404, notice('腕带码不存在', '请确认扫描的是住院腕带上的二维码'));
      }
      const { band } = live;
      const account = await findAccount(db, {
        appid: band.appid,
        cardType: band.card_type,
        cardNo: band.card_no,
        accountType: band.account_type,
      });
      return html(
        reply,
        200,
        renderWristbandPage({
          key: band.wb_key,
          hospital: band.hosp_name,
          userName: band.user_name,
          balanceFen: account?.balance_fen ?? null,
          sandbox: (await platform.apps.find(band.appid))?.mode === 'sandbox',
        }),
      );
    });

    scope.post<KeyParams>('/p/wb/:key/topup', async (req, reply) => {
      const db = platform.store.db;
      const live = await liveWristband(db, undefined, req.params.key);
      if (!live.ok) {
        return html(reply, live.why === 'cancelled' ? 410 : 404, notice('腕带码已失效', '该腕带码不可用'));
      }
      const { band } = live;
      const account = await findAccount(db, {
        appid: band.appid,
        cardType: band.card_type,
        cardNo: band.card_no,
        accountType: band.account_type,
      });
      const page = {
        key: band.wb_key,
        hospital: band.hosp_name,
        userName: band.user_name,
        balanceFen: account?.balance_fen ?? null,
        sandbox: (await platform.apps.find(band.appid))?.mode === 'sandbox',
      };
      const amountFen = parsePositiveYuan(formField(req.body, 'amount'));
      if (amountFen === null || amountFen > WRISTBAND_MAX_FEN) {
        return html(
          reply,
          400,
          renderWristbandPage(page, '请输入正确的金额 (最多两位小数, 不超过 50000 元)'),
        );
      }
      const outcome = await topUpDeposit(
        platform,
        { appid: band.appid, cardType: band.card_type, cardNo: band.card_no, accountType: band.account_type },
        amountFen,
        '腕带预交金充值',
        'H5-WB',
      );
      if (!outcome.ok) return html(reply, 422, renderWristbandPage(page, outcome.message));
      return reply.header('cache-control', 'no-store').redirect(outcome.payUrl, 303);
    });
  });
}
