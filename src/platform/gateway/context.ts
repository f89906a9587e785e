import type { FenOf, ParamOf, TransTypeName } from '../../protocol/catalog/index.js';
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

/** The transTypes the platform answers: all of the spec's but setinfo, which the client library keeps. */
export type PlatformTransType = Exclude<TransTypeName, 'hop.trade.setinfo'>;

/**
 * Answers one transType. `param` and `fen` are what validation left, typed
 * from the transType's table (ParamOf, FenOf): a handler reads `param.cardNo`
 * and `fen.amount`, never a field by a name the table does not have.
 */
export type Handler<T extends PlatformTransType> = (
  ctx: CallContext,
  param: ParamOf<T>,
  fen: FenOf<T>,
) => Promise<Answer>;
