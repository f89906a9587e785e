import { fail } from '../../../protocol/codes.js';
import { popsDesk } from '../../../protocol/desk.js';
import type { Handler } from '../../gateway/context.js';
import { requestHash } from '../orders.js';
import { replayOrConflict } from '../replay.js';
import { closeStaleRefundDesk, openRefundDesk } from './desk.js';
import { refundFromOrder } from './from-order.js';
import { findRefundAndOriginal } from './lookup.js';

/**
 * hop.trade.refund: money back from a patient's deposit, by the original
 * route or another (withdrawMode), never more than the order's refundable
 * amount nor the deposit's balance, and never twice for one outRefundNo.
 */
export const refund: Handler<'hop.trade.refund'> = async (ctx, param, fen) => {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const outRefundNo = param.outRefundNo;
  const hash = requestHash(param, platform.patientData);
  const traceNo = param.traceNo ?? '';
  const outChargeNo = param.outChargeNo ?? '';
  const { existing, orig } = await findRefundAndOriginal(db, app.appid, outRefundNo, {
    traceNo,
    outChargeNo,
  });
  if (existing) return replayOrConflict(platform, await closeStaleRefundDesk(platform, existing), hash);
  // The refund desk: the operator picks the order, so the named one is only a hint (or, in mode 1, the only one).
  if (popsDesk(param.extra))
    return openRefundDesk({ app, platform, now, param, hash, requestedFen: fen.amount });

  if (orig?.kind !== 'recharge') return fail('040008', `未找到原充值交易 ${traceNo || outChargeNo}`);
  return refundFromOrder({ app, platform, now, param, hash, requestedFen: fen.amount }, orig);
};
