import type { OrderTable } from './schema.js';

/**
 * Every column of an order, checked complete by the type: the insert binds each one, and the
 * lookups name them rather than `*`, so a prepared statement keeps its result columns when a
 * migration adds one (store/pg-named.ts).
 */
export const ORDER_COLUMNS = Object.keys({
  trace_no: true,
  appid: true,
  kind: true,
  out_no: true,
  request_hash: true,
  state: true,
  amount_fen: true,
  channel: true,
  account_no: true,
  orig_trace_no: true,
  refunded_fen: true,
  answer: true,
  detail: true,
  term_no: true,
  created_at: true,
  updated_at: true,
  finished_at: true,
  expire_at: true,
} satisfies Record<keyof OrderTable, true>) as (keyof OrderTable)[];
