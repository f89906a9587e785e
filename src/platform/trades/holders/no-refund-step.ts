import type { DepositHolder } from './holder.js';

/** A holder that takes no part in refunds beyond holding the money (the ledger, revenue). */
export const noRefundStep: Pick<
  DepositHolder,
  'beforeRefund' | 'stoppedBeforeAnswer' | 'confirmPayout' | 'onRefused' | 'pendingCode'
> = {
  beforeRefund: async () => null,
  stoppedBeforeAnswer: () => false,
  confirmPayout: async () => ({ state: 'ok' }),
  onRefused: async () => ({ giveBack: true, code: '032002', manual: false }),
  pendingCode: () => undefined,
};
