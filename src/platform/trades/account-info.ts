import type { Handler } from '../gateway/context.js';
import { holderOf } from './holders/index.js';

/** hop.account.info: the patient's deposit account, as whoever holds the app's deposits records it. */
export const accountInfo: Handler<'hop.account.info'> = async (ctx, param) =>
  (await holderOf(ctx.platform, ctx.app, 'recharge')).accountInfo(ctx.platform, ctx.app, param);
