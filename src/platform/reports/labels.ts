import { ACCOUNT_TYPE, CHANNEL } from '../../protocol/dictionaries.js';
import type { Dimension } from './movements.js';

/** Column titles of the dimensions, in the words of the spec. */
export const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  channel: '支付渠道',
  feeType: '费用类型',
  operator: '操作员',
  terminal: '终端',
  accountType: '账户类型',
};

export const ROUTE_KIND_LABEL: Readonly<Record<string, string>> = {
  refund: '退款',
  cancel: '缴费撤销',
};

/** A dimension's value as a person reads it: a channel or account type by its spec name; '' as "not given". */
export function valueLabel(dimension: Dimension, value: string): string {
  if (value === '') return '(未填)';
  if (dimension === 'channel') return (CHANNEL as Record<string, string>)[value] ?? value;
  if (dimension === 'accountType') return (ACCOUNT_TYPE as Record<string, string>)[value] ?? value;
  return value;
}
