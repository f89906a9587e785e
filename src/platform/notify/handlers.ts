import type { Handler } from '../gateway/context.js';
import { PUSH_KINDS, type PushTransType } from './kinds.js';
import { acceptPush } from './messages.js';

/** One handler per push transType; the catalog's validator has checked the fields and cross-field rules. */
export const PUSH_HANDLERS = Object.fromEntries(
  (Object.keys(PUSH_KINDS) as PushTransType[]).map((name) => [
    name,
    ((ctx, param) => acceptPush(ctx, name, param)) satisfies Handler,
  ]),
) as Record<PushTransType, Handler>;
