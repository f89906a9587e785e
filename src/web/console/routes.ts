import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../platform/console/audit.js';
import { logIn } from '../../platform/console/login.js';
import { type ConsoleSession, closeSession } from '../../platform/console/sessions.js';
import { consoleDb } from '../../platform/console/tables.js';
import type { Platform } from '../../platform/platform.js';
import { loginHtml } from './admin-pages.js';
import {
  clearSessionCookie,
  cookiesOf,
  issueLoginToken,
  LOGIN_COOKIE,
  peerOf,
  SESSION_COOKIE,
  secureContext,
  sessionOf,
  setSessionCookie,
  tokensEqual,
} from './auth.js';
import type { ConsoleContext } from './context.js';
import { CONSOLE_CSS } from './css.js';
import { barePage, CONSOLE_CSS_PATH, CONSOLE_PREFIX, mayOpen, sendConsolePage } from './frame.js';
import { field, secretField } from './labels.js';
import { registerSections } from './sections.js';

/** A console form is a few fields; nothing larger is read. */
const BODY_LIMIT_BYTES = 16 * 1024;
/** Log-in attempts per address per minute, on top of the per-name lock-out. */
const LOGINS_PER_MINUTE = 20;

/**
 * The finance console at /console: server-rendered pages, forms without
 * script. Every route but log-in needs a session; every section checks the
 * role (a refusal is a 403 page and an audit line); every POST carries the
 * session's CSRF token (besides the server-wide same-origin rule and the
 * SameSite=Strict cookie).
 */
export function registerConsole(app: FastifyInstance, platform: Platform): void {
  const db = consoleDb(platform.store.db);
  const sessions = new WeakMap<FastifyRequest, ConsoleSession>();
  const ctx: ConsoleContext = {
    platform,
    db,
    session(req) {
      const s = sessions.get(req);
      if (!s) throw new Error('console route reached without a session');
      return s;
    },
  };
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    await scope.register(rateLimit, { global: false });

    scope.get(CONSOLE_CSS_PATH, async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(CONSOLE_CSS),
    );

    scope.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const section = req.routeOptions.config.consoleSection;
      if (!section) return;
      const now = platform.clock();
      const session = await sessionOf(db, req, now);
      if (!session) {
        if (req.method === 'GET') return reply.redirect(`${CONSOLE_PREFIX}/login`, 303);
        return sendConsolePage(
          reply,
          401,
          barePage('未登录', '<p>登录已失效, 请<a href="/console/login">重新登录</a>。</p>'),
        );
      }
      if (!mayOpen(session.role, section)) {
        await appendAudit(db, {
          actor: session.username,
          action: 'access.denied',
          target: `page:${req.url.split('?')[0] ?? ''}`.slice(0, 200),
          peer: peerOf(req),
          at: now,
        });
        return sendConsolePage(
          reply,
          403,
          barePage(
            '无权访问',
            '<h2>无权访问</h2><p>您的角色不能打开此页面。</p><p><a href="/console">返回首页</a></p>',
          ),
        );
      }
      if (req.method === 'POST' && !tokensEqual(field(req.body, 'csrf'), session.csrfToken)) {
        return sendConsolePage(
          reply,
          403,
          barePage('请求无效', '<p>表单已过期或来源不明, 请刷新页面后重试。</p>'),
        );
      }
      sessions.set(req, session);
      return undefined;
    });

    scope.get(`${CONSOLE_PREFIX}/login`, async (req, reply) => {
      const secure = secureContext(platform, req);
      const token = issueLoginToken(reply, secure);
      return sendConsolePage(reply, 200, barePage('登录', loginHtml(token, '', !secure)));
    });

    scope.post(
      `${CONSOLE_PREFIX}/login`,
      { config: { rateLimit: { max: LOGINS_PER_MINUTE, timeWindow: '1 minute' } } },
      async (req, reply) => {
        const secure = secureContext(platform, req);
        const again = (status: number, message: string) =>
          sendConsolePage(
            reply,
            status,
            barePage('登录', loginHtml(issueLoginToken(reply, secure), message, !secure)),
          );
        if (!tokensEqual(field(req.body, 'csrf'), cookiesOf(req)[LOGIN_COOKIE]))
          return again(403, '登录表单已过期, 请重试');
        const outcome = await logIn(db, {
          username: field(req.body, 'username', 64),
          password: secretField(req.body, 'password'),
          peer: peerOf(req),
          now: platform.clock(),
        });
        if (!outcome.ok) return again(401, outcome.message);
        setSessionCookie(reply, outcome.sessionId, secure);
        return reply.redirect(CONSOLE_PREFIX, 303);
      },
    );

    scope.post(`${CONSOLE_PREFIX}/logout`, { config: { consoleSection: 'home' } }, async (req, reply) => {
      const session = ctx.session(req);
      const id = cookiesOf(req)[SESSION_COOKIE];
      if (id) await closeSession(db, id);
      await appendAudit(db, {
        actor: session.username,
        action: 'logout',
        target: `user:${session.username}`,
        peer: peerOf(req),
        at: platform.clock(),
      });
      clearSessionCookie(reply, secureContext(platform, req));
      return reply.redirect(`${CONSOLE_PREFIX}/login`, 303);
    });

    registerSections(scope, ctx);
  });
}
