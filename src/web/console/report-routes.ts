import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../platform/console/audit.js';
import { sheetCsv, sheetXlsx } from '../../platform/reports/export.js';
import { type Dimension, isDimension, type Period } from '../../platform/reports/movements.js';
import {
  linkOperator,
  operatorLinks,
  type Scope,
  scopeCovers,
  scopeOf,
} from '../../platform/reports/operators.js';
import { moneyReport, ReportError, type ReportQuery } from '../../platform/reports/report.js';
import { closedShiftHeading, reportSheet, type Sheet, shiftSheet } from '../../platform/reports/sheets.js';
import {
  closedShift,
  closedShifts,
  closeShift,
  openShifts,
  openShiftTotals,
} from '../../platform/reports/shift.js';
import { reportsDb } from '../../platform/reports/tables.js';
import { beijing14 } from '../../protocol/time.js';
import { peerOf } from './auth.js';
import type { ConsoleContext } from './context.js';
import { barePage, CONSOLE_PREFIX, consolePage, type Flash, mayOpen, sendConsolePage } from './frame.js';
import { field } from './labels.js';
import { channelBars, feeTypePie } from './report-charts.js';
import {
  exportLinksHtml,
  type ReportForm,
  reportFormHtml,
  reportQuery,
  reportTableHtml,
} from './reports-page.js';
import {
  closedShiftHtml,
  openShiftHtml,
  operatorLinksHtml,
  scopeNote,
  shiftListHtml,
  UNLINKED_HTML,
} from './shifts-page.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | string[]> }>;

const SHIFTS = `${CONSOLE_PREFIX}/shifts`;
const REPORTS = `${CONSOLE_PREFIX}/reports`;

function today(now: number): string {
  const s = beijing14(now);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function many(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).slice(0, 10);
}

/** Shift close (日结) and reports: the pages, their exports, and who may see whose. */
export function registerReportPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  const { platform } = ctx;
  const db = reportsDb(ctx.db);
  const dialect = platform.store.dialect;
  const now = () => platform.clock();

  /** A cashier asking for another operator's shift: refused, and the refusal is in the trail as the guard's are. */
  async function denied(req: FastifyRequest, reply: FastifyReply, target: string) {
    await appendAudit(ctx.db, {
      actor: ctx.session(req).username,
      action: 'access.denied',
      target: target.slice(0, 200),
      peer: peerOf(req),
      at: now(),
    });
    return sendConsolePage(
      reply,
      403,
      barePage(
        '无权访问',
        '<h2>无权访问</h2><p>收费员只能查看本人的班次。</p><p><a href="/console/shifts">返回日结</a></p>',
      ),
    );
  }

  function sendFile(reply: FastifyReply, name: string, kind: 'csv' | 'xlsx', body: string | Buffer) {
    return reply
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${name}.${kind}"`)
      .type(
        kind === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      .send(body);
  }

  async function sendSheet(reply: FastifyReply, name: string, kind: string, sheet: Sheet) {
    if (kind === 'csv') return sendFile(reply, name, 'csv', sheetCsv(sheet));
    return sendFile(reply, name, 'xlsx', await sheetXlsx(sheet));
  }

  const operatorOf = (s: Scope) => (s.kind === 'operator' ? s.operatorId : undefined);

  async function listPage(req: FastifyRequest, status: number, flash?: Flash) {
    const session = ctx.session(req);
    const s = await scopeOf(db, session);
    const body =
      s.kind === 'none'
        ? UNLINKED_HTML
        : `${scopeNote(s)}${shiftListHtml(await openShifts(db, dialect, operatorOf(s)), await closedShifts(db, operatorOf(s)))}`;
    const links = mayOpen(session.role, 'users') ? operatorLinksHtml(session, await operatorLinks(db)) : '';
    return { status, html: consolePage(session, 'shifts', '日结', `${body}${links}`, flash) };
  }

  scope.get(SHIFTS, { config: { consoleSection: 'shifts' } }, async (req, reply) => {
    const page = await listPage(req, 200);
    return sendConsolePage(reply, page.status, page.html);
  });

  scope.get(`${SHIFTS}/open`, { config: { consoleSection: 'shifts' } }, async (req: Req, reply) => {
    const session = ctx.session(req);
    const key = { operatorId: field(req.query, 'operator', 30), termNo: field(req.query, 'term', 50) };
    if (!scopeCovers(await scopeOf(db, session), key.operatorId))
      return denied(req, reply, `shift:${key.operatorId}/${key.termNo}`);
    const toAt = now();
    const totals = await openShiftTotals(db, dialect, key, toAt);
    return sendConsolePage(
      reply,
      200,
      consolePage(session, 'shifts', '班次日结', openShiftHtml(session, key, totals, toAt)),
    );
  });

  scope.post(`${SHIFTS}/close`, { config: { consoleSection: 'shifts' } }, async (req, reply) => {
    const session = ctx.session(req);
    const key = { operatorId: field(req.body, 'operator', 30), termNo: field(req.body, 'term', 50) };
    if (!scopeCovers(await scopeOf(db, session), key.operatorId))
      return denied(req, reply, `shift:${key.operatorId}/${key.termNo}`);
    try {
      const closed = await closeShift(db, dialect, {
        ...key,
        toAt: Number(field(req.body, 'toAt', 16)),
        actor: session.username,
        peer: peerOf(req),
        now: now(),
      });
      return reply.redirect(`${SHIFTS}/${encodeURIComponent(closed.id)}`, 303);
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      const page = await listPage(req, 409, { ok: false, message: error.message });
      return sendConsolePage(reply, page.status, page.html);
    }
  });

  scope.post(`${SHIFTS}/operators`, { config: { consoleSection: 'users' } }, async (req, reply) => {
    const session = ctx.session(req);
    const username = field(req.body, 'username', 64);
    let flash: Flash;
    try {
      await linkOperator(db, {
        username,
        operatorId: field(req.body, 'operatorId', 40),
        actor: session.username,
        peer: peerOf(req),
        now: now(),
      });
      flash = { ok: true, message: `已更新 ${username} 的操作员编号` };
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      flash = { ok: false, message: error.message };
    }
    const page = await listPage(req, flash.ok ? 200 : 409, flash);
    return sendConsolePage(reply, page.status, page.html);
  });

  scope.get(`${SHIFTS}/:file`, { config: { consoleSection: 'shifts' } }, async (req: Req, reply) => {
    const session = ctx.session(req);
    const m = /^(S[0-9a-f]{20})(?:\.(csv|xlsx))?$/.exec(String(req.params['file']));
    const shift = m?.[1] ? await closedShift(db, m[1]) : undefined;
    if (!m || !shift)
      return sendConsolePage(reply, 404, consolePage(session, 'shifts', '日结', '<p>没有这个日结单</p>'));
    if (!scopeCovers(await scopeOf(db, session), shift.operator_id))
      return denied(req, reply, `shift:${shift.id}`);
    if (m[2])
      return sendSheet(
        reply,
        `shift-${shift.id}`,
        m[2],
        shiftSheet(
          { operatorId: shift.operator_id, termNo: shift.term_no },
          shift.totals,
          closedShiftHeading(shift),
        ),
      );
    return sendConsolePage(reply, 200, consolePage(session, 'shifts', '日结单', closedShiftHtml(shift)));
  });

  async function reportForm(
    req: Req,
  ): Promise<{ form: ReportForm; query: ReportQuery } | { unlinked: true }> {
    const s = await scopeOf(db, ctx.session(req));
    if (s.kind === 'none') return { unlinked: true };
    const day = today(now());
    const from = field(req.query, 'from', 10) || day;
    const to = field(req.query, 'to', 10) || from;
    const period: Period = field(req.query, 'period', 5) === 'month' ? 'month' : 'day';
    const asked = many(req.query['by']).filter(isDimension);
    const by: Dimension[] = req.query['from'] === undefined ? ['channel', 'feeType'] : asked;
    const channel = field(req.query, 'channel', 16);
    const operator = s.kind === 'operator' ? s.operatorId : field(req.query, 'operator', 30);
    const form: ReportForm = {
      from,
      to,
      period,
      by,
      channel,
      operator,
      operatorFixed: s.kind === 'operator',
    };
    const query: ReportQuery = {
      fromDay: from,
      toDay: to,
      period,
      by,
      ...(operator ? { operator } : {}),
      ...(channel ? { channel } : {}),
    };
    return { form, query };
  }

  scope.get(REPORTS, { config: { consoleSection: 'reports' } }, async (req: Req, reply) => {
    const session = ctx.session(req);
    const asked = await reportForm(req);
    if ('unlinked' in asked)
      return sendConsolePage(reply, 200, consolePage(session, 'reports', '报表', UNLINKED_HTML));
    const { form, query } = asked;
    let body: string;
    let status = 200;
    try {
      const rows = await moneyReport(db, dialect, query);
      const byChannel = await moneyReport(db, dialect, { ...query, by: ['channel'] });
      const byFee = await moneyReport(db, dialect, { ...query, by: ['feeType'] });
      body = `${reportFormHtml(form)}${exportLinksHtml(`${REPORTS}/export`, reportQuery(form))}
<div class="charts">${channelBars(byChannel)}${feeTypePie(byFee)}</div>${reportTableHtml(rows, query.by)}`;
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      status = 400;
      body = `${reportFormHtml(form)}<div class="flash err" role="status">${error.message}</div>`;
    }
    return sendConsolePage(reply, status, consolePage(session, 'reports', '收付款报表', body));
  });

  scope.get(`${REPORTS}/export.:kind`, { config: { consoleSection: 'reports' } }, async (req: Req, reply) => {
    const kind = String(req.params['kind']);
    const asked = await reportForm(req);
    if (kind !== 'csv' && kind !== 'xlsx') return reply.code(404).send();
    if ('unlinked' in asked) return denied(req, reply, 'report:export');
    const { form, query } = asked;
    try {
      const rows = await moneyReport(db, dialect, query);
      const heading = [
        `收付款报表 ${form.from} 至 ${form.to} (${form.period === 'day' ? '按日' : '按月'})`,
        ...(form.operator ? [`操作员 ${form.operator}`] : []),
        ...(form.channel ? [`渠道 ${form.channel}`] : []),
        `导出人 ${ctx.session(req).username}`,
      ];
      return sendSheet(reply, `report-${form.from}_${form.to}`, kind, reportSheet(rows, query.by, heading));
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      return reply.code(400).type('text/plain; charset=utf-8').send(error.message);
    }
  });
}
