import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PatientData } from '../privacy/patient-data.js';
import type { IdentitySessionTable, Schema } from '../store/index.js';
import type { IdentityKind, Outcome } from './types.js';

/** A patient has this long to complete a face check or an authorisation. */
const SESSION_TTL_MS = 5 * 60_000;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** ID and phone numbers enter as their keyed hash: the stored hash gives no way to guess them. */
export function paramHash(plain: Record<string, unknown>, numbers: PatientData): string {
  return legacyParamHash(numbers.hashableFields(plain));
}

/** The hash sessions were stored with before numbers were hashed in (privacy/seal-existing.ts re-keys them). */
export function legacyParamHash(param: Record<string, unknown>): string {
  const sorted = Object.keys(param)
    .sort()
    .map((k) => [k, param[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

export async function findSession(
  db: Kysely<Schema>,
  appid: string,
  kind: IdentityKind,
  outNo: string,
): Promise<IdentitySessionTable | undefined> {
  return db
    .selectFrom('identity_sessions')
    .selectAll()
    .where('appid', '=', appid)
    .where('kind', '=', kind)
    .where('out_no', '=', outNo)
    .executeTakeFirst();
}

export async function sessionByToken(
  db: Kysely<Schema>,
  kind: IdentityKind,
  token: string,
): Promise<IdentitySessionTable | undefined> {
  if (!SESSION_TOKEN.test(token)) return undefined;
  return db
    .selectFrom('identity_sessions')
    .selectAll()
    .where('token', '=', token)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Opens a session for the merchant's number, or answers the one a concurrent call opened. */
export async function openSession(
  db: Kysely<Schema>,
  input: { appid: string; kind: IdentityKind; outNo: string; param: Record<string, unknown>; now: number },
  numbers: PatientData,
): Promise<IdentitySessionTable> {
  const row: IdentitySessionTable = {
    session_id: `S${input.now.toString(36)}${randomBytes(6).toString('hex')}`,
    appid: input.appid,
    kind: input.kind,
    out_no: input.outNo,
    request_hash: paramHash(input.param, numbers),
    token: randomBytes(24).toString('base64url'),
    state: 'ing',
    request: JSON.stringify(numbers.sealFields(input.param)),
    result: null,
    expire_at: input.now + SESSION_TTL_MS,
    created_at: input.now,
    updated_at: input.now,
  };
  await db
    .insertInto('identity_sessions')
    .values(row)
    .onConflict((oc) => oc.columns(['appid', 'kind', 'out_no']).doNothing())
    .execute();
  const stored = await findSession(db, input.appid, input.kind, input.outNo);
  if (!stored) throw new Error('identity session vanished after opening');
  return stored;
}

/** Moves a session out of `ing` once; a later outcome never overwrites the first. */
export async function finishSession(
  db: Kysely<Schema>,
  sessionId: string,
  outcome: Outcome,
  now: number,
  numbers: PatientData,
): Promise<boolean> {
  const person = outcome.person ? numbers.sealFields(outcome.person) : null;
  const result = await db
    .updateTable('identity_sessions')
    .set({
      state: outcome.state,
      result: JSON.stringify({ person, reason: outcome.reason ?? null }),
      updated_at: now,
    })
    .where('session_id', '=', sessionId)
    .where('state', '=', 'ing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The session's settled outcome from its row, or `ing`. An `ing` session past its time is `fail`. */
export async function settle(
  db: Kysely<Schema>,
  session: IdentitySessionTable,
  fromProvider: () => Promise<Outcome>,
  now: number,
  numbers: PatientData,
): Promise<Outcome> {
  if (session.state === 'ing') {
    const fresh = await fromProvider();
    if (fresh.state !== 'ing') await finishSession(db, session.session_id, fresh, now, numbers);
    else if (now > session.expire_at) {
      await finishSession(
        db,
        session.session_id,
        { state: 'fail', reason: '患者未在有效期内完成, 已超时' },
        now,
        numbers,
      );
    }
    const again = await findSession(db, session.appid, session.kind, session.out_no);
    if (!again || again.state === 'ing') return { state: 'ing' };
    session = again;
  }
  const stored = JSON.parse(session.result ?? '{}') as {
    person?: Outcome['person'] | null;
    reason?: string | null;
  };
  return {
    state: session.state,
    ...(stored.person ? { person: numbers.openFields(stored.person) } : {}),
    ...(stored.reason ? { reason: stored.reason } : {}),
  };
}
