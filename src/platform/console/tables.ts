import type { Generated, Kysely, Transaction } from 'kysely';
import type { Schema } from '../store/index.js';

/** Milliseconds since the epoch (BIGINT on both engines). */
type Millis = number;

const ROLES = ['cashier', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface ConsoleUserTable {
  username: string;
  role: Role;
  /** scrypt, self-describing (passwords.ts). */
  password_hash: string;
  failed_count: number;
  locked_until: Millis | null;
  disabled: number;
  created_at: Millis;
  updated_at: Millis;
}

interface ConsoleSessionTable {
  /** SHA-256 of the cookie's id: the table alone cannot be replayed as cookies. */
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface ConsoleAuditTable {
  id: number;
  at: Millis;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  peer: string;
}

interface ConsoleCaseTable {
  trace_no: string;
  resolution: string;
  note: string;
  reference: string;
  resolved_by: string;
  resolved_at: Millis;
}

/** The console's tables (migration 0013), kept beside the platform's schema rather than in it. */
export type ConsoleTables = {
  console_users: ConsoleUserTable;
  console_sessions: ConsoleSessionTable;
  console_audit: Omit<ConsoleAuditTable, 'id'> & { id: Generated<number> };
  console_cases: ConsoleCaseTable;
};

export type ConsoleDb = Kysely<Schema & ConsoleTables>;

/** The platform's database seen with the console's tables too (a transaction stays a transaction). */
export function consoleDb(db: Kysely<Schema> | Transaction<Schema>): ConsoleDb {
  return db.withTables<ConsoleTables>() as ConsoleDb;
}
