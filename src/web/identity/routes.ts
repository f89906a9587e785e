import type { FastifyInstance, FastifyReply } from 'fastify';
import { SANDBOX_PERSON } from '../../platform/identity/sandbox.js';
import { finishSession, sessionByToken } from '../../platform/identity/sessions.js';
import type { IdentityKind, IdentityState, Person } from '../../platform/identity/types.js';
import type { Platform } from '../../platform/platform.js';
import { notice } from '../patient/html.js';
import { PERSON_FIELDS, renderIdentityPage, renderIdentityResult } from './page.js';

const FORM_LIMIT_BYTES = 4 * 1024;
/** Longest value the sandbox accepts for a person field (the spec's widest is Char(200)). */
const FIELD_MAX = 200;
const ACTIONS: readonly IdentityState[] = ['succ', 'fail', 'cancel'];

type Params = { Params: { kind: string; token: string } };

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function kindOf(value: string): IdentityKind | null {
  return value === 'face' || value === 'auth' ? value : null;
}

/**
 * The person a face session can recognise: the one the HIS named when it
 * opened the session (extra.idNo / extra.certNo), else the sandbox's example
 * patient. A face device reads a face, not a form: whoever holds the link
 * cannot make it vouch for another ID number.
 */
function facePerson(request: Record<string, unknown>): Person {
  const extra = (request['extra'] ?? {}) as Record<string, unknown>;
  const named = [extra['idNo'], extra['certNo']].find((v) => typeof v === 'string' && v !== '') as
    | string
    | undefined;
  if (!named || named === SANDBOX_PERSON.idNo) return SANDBOX_PERSON;
  const name = typeof extra['userName'] === 'string' ? extra['userName'] : '';
  return { ...SANDBOX_PERSON, idNo: named, name };
}

function personFrom(form: URLSearchParams): Person | null {
  const person: Record<string, string> = { ...SANDBOX_PERSON };
  for (const [key] of PERSON_FIELDS) {
    const value = form.get(key);
    if (value === null) continue;
    if (value.length > FIELD_MAX) return null;
    person[key] = value.trim();
  }
  return person as unknown as Person;
}

/**
 * The sandbox's face device and insurance-authorisation phone: a page per
 * session where a tester completes, refuses or cancels it. Only the session
 * token is needed, as with a real QR code.
 */
export function registerIdentitySandbox(app: FastifyInstance, platform: Platform): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );

    scope.get<Params>('/id-sandbox/:kind/:token', async (req, reply) => {
      const kind = kindOf(req.params.kind);
      const session = kind ? await sessionByToken(platform.store.db, kind, req.params.token) : undefined;
      if (!kind || !session) return html(reply, 404, notice('会话不存在', '链接有误'));
      if (session.state !== 'ing') return html(reply, 409, renderIdentityResult(kind, session.state));
      if (platform.clock() > session.expire_at) return html(reply, 410, notice('已过期', '该会话已超时'));
      const request = platform.patientData.openFields(JSON.parse(session.request) as Record<string, unknown>);
      const operator = typeof request['operatorName'] === 'string' ? request['operatorName'] : '';
      const shown = kind === 'face' ? facePerson(request) : SANDBOX_PERSON;
      return html(reply, 200, renderIdentityPage(kind, session.token, shown, operator));
    });

    scope.post<Params>('/id-sandbox/:kind/:token', async (req, reply) => {
      const kind = kindOf(req.params.kind);
      const session = kind ? await sessionByToken(platform.store.db, kind, req.params.token) : undefined;
      if (!kind || !session) return html(reply, 404, notice('会话不存在', '链接有误'));
      const now = platform.clock();
      if (session.state !== 'ing') return html(reply, 409, renderIdentityResult(kind, session.state));
      if (now > session.expire_at) return html(reply, 410, notice('已过期', '该会话已超时'));
      const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
      const action = form.get('action') as IdentityState | null;
      if (!action || !ACTIONS.includes(action)) return html(reply, 400, notice('请求有误', '未知操作'));
      const person = personFrom(form);
      if (!person) return html(reply, 400, notice('请求有误', '字段过长'));
      const expected =
        kind === 'face'
          ? facePerson(
              platform.patientData.openFields(JSON.parse(session.request) as Record<string, unknown>),
            )
          : person;
      // A face that is not the session's patient verifies nothing and tells nothing about anyone.
      const postedId = form.get('idNo');
      const stranger =
        kind === 'face' && action === 'succ' && postedId !== null && postedId.trim() !== expected.idNo;
      const outcome =
        action === 'succ' && !stranger
          ? { state: action, person: expected }
          : {
              state: stranger ? ('fail' as const) : action,
              reason: stranger
                ? '人脸与本次查询的患者不符'
                : action === 'cancel'
                  ? '患者取消'
                  : '沙箱模拟失败',
            };
      const moved = await finishSession(
        platform.store.db,
        session.session_id,
        outcome,
        now,
        platform.patientData,
      );
      return html(reply, moved ? 200 : 409, renderIdentityResult(kind, moved ? action : session.state));
    });
  });
}
