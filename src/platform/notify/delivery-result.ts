/** What one delivery attempt came to; `permanent` failures are not retried. */
export type DeliveryResult = { ok: true } | { ok: false; error: string; permanent?: boolean };
