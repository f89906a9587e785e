export type { DialectName } from './dialect.js';
export { type OpenOptions, openStore, type PoolUse, type Store, sqliteFile } from './open.js';
export type * from './schema.js';
