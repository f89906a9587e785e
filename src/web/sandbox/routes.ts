import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLandingToken } from '../../platform/channels/live/index.js';
import type {
  SandboxChannels,
  WalletPayOutcome,
  WalletRefusal,
} from '../../platform/channels/sandbox/index.js';
import { REFUSAL_MESSAGE } from '../../platform/channels/sandbox/index.js';
import { formatFen } from '../../protocol/money.js';
import { beijing14 } from '../../protocol/time.js';
import { oneQrLanding } from '../landing/one-qr.js';
import { renderResultPage, renderWalletPage } from './page.js';

/** A wallet choice is a few dozen bytes; anything larger is not a phone paying. */
const PAY_BODY_LIMIT_BYTES = 4 * 1024;

/** Tokens are base64url; anything else is answered 404 before touching the database. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

const STATUS: Record<WalletRefusal, number> = {
  not_found: 404,
  expired: 410,
  closed: 410,
  revoked: 410,
  paid: 409,
  failed: 409,
  bad_wallet: 400,
  wrong_wallet: 400,
};

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

function isForm(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** The body as fields, whatever parser the host app installed; null when it is not JSON or a form. */
function readChoice(body: unknown): { wallet?: unknown; fail?: unknown } | null {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body !== 'string') return null;
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 'on';
}

function sendRefusal(req: FastifyRequest, reply: FastifyReply, refusal: WalletRefusal, message: string) {
  reply.code(STATUS[refusal]);
  if (wantsJson(req) || !isForm(req)) return reply.send({ ok: false, refusal, message });
  return reply.type('text/html; charset=utf-8').send(renderResultPage({ ok: false, refusal, message }));
}

function outcomeJson(outcome: Extract<WalletPayOutcome, { ok: true }>) {
  return {
    ok: true,
    traceNo: outcome.traceNo,
    state: outcome.state,
    ...(outcome.paidChannel ? { paidChannel: outcome.paidChannel } : {}),
    amount: formatFen(outcome.amountFen),
    message: outcome.message,
    notified: outcome.notified,
  };
}

/**
 * The sandbox wallet, playing the patient's phone: GET /q/:token shows the
 * payment (HTML, or JSON with `Accept: application/json`), POST
 * /q/:token/pay `{wallet?, fail?}` pays or fails it and tells the platform.
 * Registered in its own scope with its own body parsing, so it behaves the
 * same inside the platform's app (which reads every body as text for the
 * envelope) and in a bare Fastify.
 */
export function registerSandboxRoutes(
  app: FastifyInstance,
  sandbox: SandboxChannels,
  /** Live apps' one-QR landing, which shares /q/:token (its tokens have a dot: isLandingToken). */
  liveLanding?: (req: FastifyRequest, reply: FastifyReply, token: string) => Promise<unknown>,
): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: PAY_BODY_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );

    const showWallet = async (req: TokenRequest, reply: FastifyReply) => {
      const { token } = req.params;
      const view = TOKEN.test(token) ? await sandbox.walletView(token) : null;
      reply.header('cache-control', 'no-store');
      if (!view) {
        const message = REFUSAL_MESSAGE.not_found;
        if (wantsJson(req)) return reply.code(404).send({ ok: false, refusal: 'not_found', message });
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(renderResultPage({ ok: false, refusal: 'not_found', message }));
      }
      if (view.refusal) reply.code(STATUS[view.refusal]);
      if (!wantsJson(req)) {
        // ONE_QR: the landing recognises the wallet from the User-Agent (src/web/landing/one-qr.ts).
        const landing = oneQrLanding(req.headers['user-agent'], token, view);
        const html = landing.kind === 'page' ? landing.html : renderWalletPage(token, landing.view);
        return reply.type('text/html; charset=utf-8').send(html);
      }
      return reply.send({
        ok: view.refusal === undefined,
        traceNo: view.traceNo,
        channel: view.channel,
        channelName: view.channelName,
        amount: formatFen(view.amountFen),
        amountFen: view.amountFen,
        subject: view.subject,
        hospital: view.hospital,
        state: view.state,
        wallets: view.wallets,
        expireAt: beijing14(view.expireAt),
        ...(view.refusal ? { refusal: view.refusal, message: REFUSAL_MESSAGE[view.refusal] } : {}),
      });
    };
    scope.get('/q/:token', (req: TokenRequest, reply) =>
      liveLanding && isLandingToken(req.params.token)
        ? liveLanding(req, reply, req.params.token)
        : showWallet(req, reply),
    );

    scope.post('/q/:token/pay', async (req: TokenRequest, reply) => {
      const { token } = req.params;
      reply.header('cache-control', 'no-store');
      if (!TOKEN.test(token)) return sendRefusal(req, reply, 'not_found', REFUSAL_MESSAGE.not_found);
      const choice = readChoice(req.body);
      if (!choice)
        return reply.code(400).send({ ok: false, refusal: 'bad_request', message: '请求体应为 JSON 或表单' });
      const outcome = await sandbox.payByWallet(token, { wallet: choice.wallet, fail: truthy(choice.fail) });
      if (!outcome.ok) return sendRefusal(req, reply, outcome.refusal, outcome.message);
      if (isForm(req) && !wantsJson(req))
        return reply.type('text/html; charset=utf-8').send(renderResultPage(outcome));
      return reply.send(outcomeJson(outcome));
    });
  });
}
