import type { App } from '../../apps/registry.js';
import type { Platform } from '../../platform.js';
import type { OrderKind, OrderTable } from '../../store/index.js';
import { refundDetail } from '../refund/detail.js';
import { hisHolder } from './his.js';
import type { DepositHolder } from './holder.js';
import { ledgerHolder } from './ledger.js';
import { revenueHolder } from './revenue.js';

export type { DepositHolder, HolderName, Paid } from './holder.js';

/**
 * The one place that decides who holds an order's money: an exam bill's
 * (recpay, and its cancel) is the hospital's revenue; a deposit is the
 * external HIS's when the app names one, else the platform's own ledger.
 */
export async function holderOf(platform: Platform, app: App, kind: OrderKind): Promise<DepositHolder> {
  if (kind === 'recpay' || kind === 'cancel') return revenueHolder;
  return depositHolderOf(platform, app);
}

/** The holder a refund recorded when it began (its `holder`), so a change of the app's setup cannot move it. */
export async function holderOfRefund(platform: Platform, row: OrderTable): Promise<DepositHolder> {
  const recorded = refundDetail(row).holder;
  if (recorded === 'revenue') return revenueHolder;
  if (recorded !== 'his') return ledgerHolder;
  const app = await platform.apps.find(row.appid);
  const holder = app && (await depositHolderOf(platform, app));
  if (holder?.name !== 'his') {
    // Never guessed: the money sits with an HIS the app no longer names; a person must look.
    throw new Error(`refund ${row.trace_no} began with an external HIS that app ${row.appid} no longer has`);
  }
  return holder;
}

async function depositHolderOf(platform: Platform, app: App): Promise<DepositHolder> {
  const provider = app.config.depositProvider ? await platform.providerOfApp(app.appid) : undefined;
  return provider ? hisHolder(provider) : ledgerHolder;
}
