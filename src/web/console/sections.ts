import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changeAccountStatus, isAccountAction } from '../../platform/console/account-status.js';
import { accountView, findAccounts } from '../../platform/console/accounts.js';
import { listAudit } from '../../platform/console/audit.js';
import { orderHistory, searchOrders } from '../../platform/console/orders.js';
import { isCaseAction, manualCases, resolveCase } from '../../platform/console/queue.js';
import { isRole } from '../../platform/console/tables.js';
import { addUser, changeUser, listUsers, type UserChange, UserError } from '../../platform/console/users.js';
import { openDifferenceDays } from '../../platform/reconcile/queue.js';
import { accountSearchHtml, accountViewHtml } from './accounts-page.js';
import { auditHtml, homeHtml, usersHtml } from './admin-pages.js';
import { registerAppPages } from './app-routes.js';
import { peerOf } from './auth.js';
import type { ConsoleContext } from './context.js';
import { CONSOLE_PREFIX, consolePage, type Flash, mayOpen, sendConsolePage } from './frame.js';
import { field, secretField } from './labels.js';
import { orderHistoryHtml, orderRows, orderSearchForm } from './orders-page.js';
import { queueHtml } from './queue-page.js';
import { registerReconcilePages } from './reconcile-page.js';
import { registerReportPages } from './report-routes.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;

/** The console's sections; the route guard (routes.ts) has checked session, role and CSRF before any of these runs. */
export function registerSections(scope: FastifyInstance, ctx: ConsoleContext): void {
  registerReportPages(scope, ctx);
  const { platform, db } = ctx;
  registerReconcilePages(scope, ctx);
  registerAppPages(scope, ctx);
  const now = () => platform.clock();
  const actorOf = (req: FastifyRequest) => ({
    actor: ctx.session(req).username,
    peer: peerOf(req),
    now: now(),
  });

  scope.get(CONSOLE_PREFIX, { config: { consoleSection: 'home' } }, async (req, reply) => {
    const session = ctx.session(req);
    const count = mayOpen(session.role, 'queue') ? (await manualCases(db)).length : undefined;
    return sendConsolePage(reply, 200, consolePage(session, 'home', '首页', homeHtml(session, count)));
  });

  scope.get(`${CONSOLE_PREFIX}/orders`, { config: { consoleSection: 'orders' } }, async (req: Req, reply) => {
    const q = {
      number: field(req.query, 'number', 64),
      card: field(req.query, 'card', 40),
      day: field(req.query, 'day', 10),
      channel: field(req.query, 'channel', 16),
      state: field(req.query, 'state', 8),
      kind: field(req.query, 'kind', 10),
      term: field(req.query, 'term', 32),
      operator: field(req.query, 'operator', 32),
    };
    const any = Object.values(q).some((v) => v !== '');
    const found = any
      ? await searchOrders(db, {
          termNo: q.term,
          operatorId: q.operator,
          number: q.number,
          cardNo: q.card,
          day: q.day,
          channel: q.channel,
          state: q.state,
          kind: q.kind,
        })
      : undefined;
    const body = `${orderSearchForm(q)}${found ? orderRows(found) : '<p class="muted">输入任一条件查询</p>'}`;
    return sendConsolePage(reply, 200, consolePage(ctx.session(req), 'orders', '订单查询', body));
  });

  scope.get(
    `${CONSOLE_PREFIX}/orders/:trace`,
    { config: { consoleSection: 'orders' } },
    async (req: Req, reply) => {
      const history = await orderHistory(db, String(req.params['trace']).slice(0, 64));
      const session = ctx.session(req);
      if (!history)
        return sendConsolePage(
          reply,
          404,
          consolePage(session, 'orders', '订单不存在', '<p>没有这个交易流水号</p>'),
        );
      return sendConsolePage(
        reply,
        200,
        consolePage(session, 'orders', `订单 ${history.order.trace_no}`, orderHistoryHtml(history)),
      );
    },
  );

  scope.get(
    `${CONSOLE_PREFIX}/accounts`,
    { config: { consoleSection: 'accounts' } },
    async (req: Req, reply) => {
      const q = field(req.query, 'q', 64);
      const found = q ? await findAccounts(db, q) : undefined;
      return sendConsolePage(
        reply,
        200,
        consolePage(ctx.session(req), 'accounts', '预交金账户', accountSearchHtml(q, found)),
      );
    },
  );

  async function accountPage(req: Req, status: number, flash?: Flash) {
    const session = ctx.session(req);
    const view = await accountView(db, String(req.params['no']).slice(0, 64));
    if (!view)
      return { status: 404, html: consolePage(session, 'accounts', '账户不存在', '<p>没有这个账户</p>') };
    return {
      status,
      html: consolePage(
        session,
        'accounts',
        `账户 ${view.account.account_no}`,
        accountViewHtml(session, view),
        flash,
      ),
    };
  }

  scope.get(
    `${CONSOLE_PREFIX}/accounts/:no`,
    { config: { consoleSection: 'accounts' } },
    async (req: Req, reply) => {
      const page = await accountPage(req, 200);
      return sendConsolePage(reply, page.status, page.html);
    },
  );

  scope.post(
    `${CONSOLE_PREFIX}/accounts/:no/status`,
    { config: { consoleSection: 'accounts' } },
    async (req: Req, reply) => {
      const action = field(req.body, 'action', 20);
      const outcome = isAccountAction(action)
        ? await changeAccountStatus(platform.store, {
            accountNo: String(req.params['no']).slice(0, 64),
            action,
            reason: field(req.body, 'reason'),
            ...actorOf(req),
          })
        : { ok: false as const, message: '未知的操作' };
      const page = await accountPage(req, outcome.ok ? 200 : 409, {
        ok: outcome.ok,
        message: outcome.ok ? '账户状态已变更' : outcome.message,
      });
      return sendConsolePage(reply, page.status, page.html);
    },
  );

  async function queuePage(req: FastifyRequest, status: number, flash?: Flash) {
    const session = ctx.session(req);
    return {
      status,
      html: consolePage(
        session,
        'queue',
        '待人工处理',
        queueHtml(session, await manualCases(db), await openDifferenceDays(platform)),
        flash,
      ),
    };
  }

  scope.get(`${CONSOLE_PREFIX}/queue`, { config: { consoleSection: 'queue' } }, async (req, reply) => {
    const page = await queuePage(req, 200);
    return sendConsolePage(reply, page.status, page.html);
  });

  scope.post(
    `${CONSOLE_PREFIX}/queue/:trace`,
    { config: { consoleSection: 'queue' } },
    async (req: Req, reply) => {
      const action = field(req.body, 'action', 20);
      const payout = field(req.body, 'payoutChannel', 16);
      const outcome = isCaseAction(action)
        ? await resolveCase(platform, {
            traceNo: String(req.params['trace']).slice(0, 64),
            action,
            note: field(req.body, 'note'),
            reference: field(req.body, 'reference', 64),
            ...(payout === 'CASH' || payout === 'BANK_TRANSFER' ? { payoutChannel: payout } : {}),
            ...actorOf(req),
          })
        : { ok: false as const, message: '未知的操作' };
      const page = await queuePage(req, outcome.ok ? 200 : 409, {
        ok: outcome.ok,
        message: outcome.ok
          ? (outcome.message ?? `订单 ${String(req.params['trace'])} 已处理`)
          : outcome.message,
      });
      return sendConsolePage(reply, page.status, page.html);
    },
  );

  scope.get(`${CONSOLE_PREFIX}/audit`, { config: { consoleSection: 'audit' } }, async (req: Req, reply) => {
    const actor = field(req.query, 'actor', 40);
    const rows = await listAudit(db, actor ? { actor } : {});
    return sendConsolePage(
      reply,
      200,
      consolePage(ctx.session(req), 'audit', '审计日志', auditHtml(rows, actor)),
    );
  });

  async function usersPage(req: FastifyRequest, status: number, flash?: Flash) {
    const session = ctx.session(req);
    return {
      status,
      html: consolePage(session, 'users', '用户管理', usersHtml(session, await listUsers(db), now()), flash),
    };
  }

  scope.get(`${CONSOLE_PREFIX}/users`, { config: { consoleSection: 'users' } }, async (req, reply) => {
    const page = await usersPage(req, 200);
    return sendConsolePage(reply, page.status, page.html);
  });

  scope.post(`${CONSOLE_PREFIX}/users`, { config: { consoleSection: 'users' } }, async (req, reply) => {
    const username = field(req.body, 'username', 32);
    const role = field(req.body, 'role', 10);
    let flash: Flash;
    try {
      if (!isRole(role)) throw new UserError('角色须为收费员、财务或管理员');
      await addUser(db, { username, role, password: secretField(req.body, 'password'), ...actorOf(req) });
      flash = { ok: true, message: `用户 ${username} 已创建` };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      flash = { ok: false, message: error.message };
    }
    const page = await usersPage(req, flash.ok ? 200 : 409, flash);
    return sendConsolePage(reply, page.status, page.html);
  });

  scope.post(
    `${CONSOLE_PREFIX}/users/:name`,
    { config: { consoleSection: 'users' } },
    async (req: Req, reply) => {
      const username = String(req.params['name']).slice(0, 32);
      let flash: Flash;
      try {
        await changeUser(db, { username, change: userChangeOf(req.body), ...actorOf(req) });
        flash = { ok: true, message: `用户 ${username} 已更新` };
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        flash = { ok: false, message: error.message };
      }
      const page = await usersPage(req, flash.ok ? 200 : 409, flash);
      return sendConsolePage(reply, page.status, page.html);
    },
  );
}

/** The change a user-management form asks for; anything else is refused in Chinese. */
function userChangeOf(body: unknown): UserChange {
  const change = field(body, 'change', 10);
  if (change === 'disable' || change === 'enable' || change === 'unlock') return { kind: change };
  if (change === 'password') return { kind: 'password', password: secretField(body, 'password') };
  const role = field(body, 'role', 10);
  if (change === 'role' && isRole(role)) return { kind: 'role', role };
  throw new UserError('未知的用户操作');
}
