import type { Kysely } from 'kysely';
import { ALL_CHANNELS, kindOf } from '../../../protocol/channels.js';
import type { Schema } from '../../store/index.js';
import type { StatementRow } from '../types.js';

const PAGE = 5000;
/** Cash never passes through a payment company: it is on no channel's statement. */
const BILLED = ALL_CHANNELS.filter((code) => kindOf(code) !== 'cash');

/**
 * The sandbox payment company's statement of an app's Beijing day, read from
 * its own books: payments paid that day (revoked ones say so) and refunds
 * paid out that day. Paged by key, so a day of any size streams.
 */
export async function* sandboxStatement(
  db: Kysely<Schema>,
  appid: string,
  bounds: { readonly from: number; readonly to: number },
): AsyncGenerator<StatementRow> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('sandbox_payments')
      .select(['trace_no', 'channel_trade_no', 'amount_fen', 'paid_at', 'state'])
      .where('appid', '=', appid)
      .where('paid_at', '>=', bounds.from)
      .where('paid_at', '<', bounds.to)
      .where('state', 'in', ['success', 'revoked'])
      .where('channel', 'in', BILLED)
      .where('trace_no', '>', after)
      .orderBy('trace_no')
      .limit(PAGE)
      .execute();
    for (const p of page) {
      yield {
        channelTradeNo: p.channel_trade_no,
        traceNo: p.trace_no,
        kind: 'pay',
        amountFen: Number(p.amount_fen),
        at: Number(p.paid_at),
        state: p.state === 'revoked' ? 'revoked' : 'success',
      };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.trace_no ?? after;
  }
  after = '';
  for (;;) {
    const page = await db
      .selectFrom('sandbox_refunds')
      .select(['refund_trace_no', 'channel_refund_no', 'amount_fen', 'refunded_at'])
      .where('appid', '=', appid)
      .where('state', '=', 'success')
      .where('refunded_at', '>=', bounds.from)
      .where('refunded_at', '<', bounds.to)
      .where('channel', 'in', BILLED)
      .where('refund_trace_no', '>', after)
      .orderBy('refund_trace_no')
      .limit(PAGE)
      .execute();
    for (const r of page) {
      yield {
        channelTradeNo: r.channel_refund_no,
        traceNo: r.refund_trace_no,
        kind: 'refund',
        amountFen: Number(r.amount_fen),
        at: Number(r.refunded_at),
        state: 'success',
      };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.refund_trace_no ?? after;
  }
}
