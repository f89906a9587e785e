import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StatementError } from '../../platform/channels/statements/bill-text.js';
import { appendAudit } from '../../platform/console/audit.js';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import { beijingDayOf, dayProblem } from '../../platform/reconcile/day.js';
import { HisStatementError, parseHisCsv } from '../../platform/reconcile/his-statement.js';
import { type Difference, listDifferences, resolveDifference } from '../../platform/reconcile/queue.js';
import { ReconcileBusyError, type RunSummary, reconcileDay } from '../../platform/reconcile/run.js';
import { DIFFERENCE_KINDS, reconcileDb } from '../../platform/reconcile/tables.js';
import { esc } from '../shared/html.js';
import { peerOf } from './auth.js';
import type { ConsoleContext } from './context.js';
import { CONSOLE_PREFIX, consolePage, csrfField, type Flash, sendConsolePage } from './frame.js';
import { field, when, yuan } from './labels.js';
import { orderLink } from './orders-page.js';

const PATH = `${CONSOLE_PREFIX}/reconcile`;
const SOURCE_LABEL: Readonly<Record<string, string>> = { channel: '渠道', his: 'HIS' };

function pickForm(
  session: ConsoleSession,
  apps: readonly { appid: string; name: string }[],
  appid: string,
  day: string,
) {
  const choices = apps
    .map(
      (a) =>
        `<option value="${esc(a.appid)}"${a.appid === appid ? ' selected' : ''}>${esc(a.name)} (${esc(a.appid)})</option>`,
    )
    .join('');
  return `<form method="get" action="${PATH}" class="search"><label>医院<select name="appid">${choices}</select></label>
<label>日期 (北京时间)<input name="day" value="${esc(day)}" placeholder="yyyy-mm-dd" maxlength="10"></label><button type="submit">查看</button></form>
<form method="post" action="${PATH}/run">${csrfField(session)}<input type="hidden" name="appid" value="${esc(appid)}"><input type="hidden" name="day" value="${esc(day)}">
<label>HIS 对账单 CSV (可选, 表头 traceNo,hisNo,amount,kind; 不填则向 HIS 调取)<textarea name="hisCsv" rows="3" cols="60"></textarea></label>
<button class="primary" type="submit">立即对账</button></form>`;
}

function summaryHtml(
  run:
    | { state: string; finished_at: number | null; summary: string | null; error: string | null }
    | undefined,
) {
  if (!run) return '<p class="muted">该日尚未对账</p>';
  if (run.state !== 'done' || !run.summary)
    return `<p class="warn">对账${run.state === 'running' ? '进行中' : `未完成: ${esc(run.error ?? '')}`}</p>`;
  const s = JSON.parse(run.summary) as RunSummary;
  return `<p>完成于 ${when(run.finished_at)}: 渠道对账单 ${s.channelLines} 笔 (相符 ${s.matched.channel}), HIS 对账单 ${s.hisLines} 笔 (相符 ${s.matched.his}), 用时 ${(s.ms / 1000).toFixed(1)} 秒</p>`;
}

function differencesHtml(session: ConsoleSession, rows: readonly Difference[]): string {
  if (rows.length === 0) return '<p class="muted">该日没有差异</p>';
  const body = rows
    .map((d) => {
      const decide = d.resolved_at
        ? `${esc(d.resolved_by ?? '')} ${when(d.resolved_at)}<br>${esc(d.note ?? '')}`
        : `<form method="post" action="${PATH}/resolve">${csrfField(session)}${[
            'appid',
            'day',
            'kind',
            'source',
          ]
            .map((k) => `<input type="hidden" name="${k}" value="${esc(String(d[k as keyof Difference]))}">`)
            .join('')}<input type="hidden" name="refNo" value="${esc(d.ref_no)}">
<label>处理说明<input name="note" required maxlength="200" size="20"></label><button type="submit">已处理</button></form>`;
      return `<tr><td>${esc(DIFFERENCE_KINDS[d.kind] ?? d.kind)}</td><td>${esc(SOURCE_LABEL[d.source] ?? d.source)}</td>
<td>${d.trace_no ? orderLink(d.trace_no) : ''}<br><span class="muted">${esc(d.ref_no)}</span></td>
<td class="money">${d.platform_fen === null ? '' : yuan(d.platform_fen)}</td><td class="money">${d.other_fen === null ? '' : yuan(d.other_fen)}</td>
<td>${esc(d.platform_state ?? '')} / ${esc(d.other_state ?? '')}</td><td class="actions">${decide}</td></tr>`;
    })
    .join('');
  return `<table class="queue"><thead><tr><th>差异</th><th>来源</th><th>交易流水号 / 对方单号</th><th>平台金额</th><th>对方金额</th><th>平台 / 对方状态</th><th>处理</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The reconciliation pages (finance): a day's result per app, its differences, a run on demand. */
export function registerReconcilePages(scope: FastifyInstance, ctx: ConsoleContext): void {
  const { platform } = ctx;
  const rdb = reconcileDb(platform.store.db);

  async function page(
    req: FastifyRequest,
    res: FastifyReply,
    appidIn: string,
    dayIn: string,
    status: number,
    flash?: Flash,
  ) {
    const session = ctx.session(req);
    const apps = await platform.apps.list();
    const appid = apps.some((a) => a.appid === appidIn) ? appidIn : (apps[0]?.appid ?? '');
    const day = dayProblem(dayIn) ? beijingDayOf(platform.clock() - 24 * 3600_000) : dayIn;
    const run = await rdb
      .selectFrom('reconcile_runs')
      .selectAll()
      .where('appid', '=', appid)
      .where('day', '=', day)
      .executeTakeFirst();
    const rows = appid ? await listDifferences(platform, { appid, day }) : [];
    const html = `${pickForm(session, apps, appid, day)}${summaryHtml(run)}${differencesHtml(session, rows)}`;
    return sendConsolePage(res, status, consolePage(session, 'reconcile', '对账', html, flash));
  }

  type Req = FastifyRequest<{ Querystring: Record<string, string> }>;
  scope.get(PATH, { config: { consoleSection: 'reconcile' } }, async (req: Req, r) => {
    return page(req, r, field(req.query, 'appid', 64), field(req.query, 'day', 10), 200);
  });

  scope.post(`${PATH}/run`, { config: { consoleSection: 'reconcile' } }, async (req, r) => {
    const appid = field(req.body, 'appid', 64);
    const day = field(req.body, 'day', 10);
    const csv = field(req.body, 'hisCsv', 16 * 1024);
    let flash: Flash;
    try {
      const hisLines = csv ? parseHisCsv(csv) : undefined;
      const s = await reconcileDay(platform, appid, day, hisLines ? { hisLines } : {});
      const found = Object.values(s.differences).reduce((a, b) => a + (b ?? 0), 0);
      await appendAudit(ctx.db, {
        actor: ctx.session(req).username,
        action: 'reconcile.run',
        target: `reconcile:${appid}/${day}`,
        after: { differences: s.differences, hisCsv: csv !== '' },
        peer: peerOf(req),
        at: platform.clock(),
      });
      flash = { ok: true, message: `对账完成: 差异 ${found} 条` };
    } catch (error) {
      if (
        !(
          error instanceof ReconcileBusyError ||
          error instanceof HisStatementError ||
          error instanceof StatementError ||
          error instanceof RangeError
        )
      )
        throw error;
      flash = { ok: false, message: error.message };
    }
    return page(req, r, appid, day, flash.ok ? 200 : 409, flash);
  });

  scope.post(`${PATH}/resolve`, { config: { consoleSection: 'reconcile' } }, async (req, r) => {
    const key = {
      appid: field(req.body, 'appid', 64),
      day: field(req.body, 'day', 10),
      kind: field(req.body, 'kind', 16),
      source: field(req.body, 'source', 16),
      refNo: field(req.body, 'refNo', 128),
    };
    const outcome = await resolveDifference(platform, key, {
      note: field(req.body, 'note'),
      actor: ctx.session(req).username,
      peer: peerOf(req),
    });
    const flash = { ok: outcome.ok, message: outcome.ok ? '差异已处理' : outcome.message };
    return page(req, r, key.appid, key.day, outcome.ok ? 200 : 409, flash);
  });
}
