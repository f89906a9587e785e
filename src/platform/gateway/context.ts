import type { TransTypeName } from '../../protocol/catalog/index.js';
import type { Answer } from '../../protocol/codes.js';
import type { App } from '../apps/registry.js';
import type { Platform } from '../platform.js';

/** Everything a transType handler may use for one call. */
export interface CallContext {
  readonly app: App;
  readonly platform: Platform;
  readonly transType: TransTypeName;
  /** Milliseconds; one clock reading per call so every row of it agrees. */
  readonly now: number;
}

export type Handler = (ctx: CallContext, param: Record<string, unknown>) => Promise<Answer>;
