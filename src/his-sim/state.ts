import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { HisAccountAnswer, HisAnswer, HisOperation } from '../platform/his/wire.js';
import { formatFen, parsePositiveYuan } from '../protocol/money.js';

/** One deposit account as the simulated HIS keeps it. */
export interface SimAccount {
  cardType: string;
  cardNo: string;
  hisCustId: string;
  accountType: string;
  balanceFen: number;
  /** Held by pre-refunds awaiting confirmation; never spendable twice. */
  reservedFen: number;
  idType: string;
  idNo: string;
  userName: string;
  userSex: string;
  accountNo: string;
  status: string;
}

export interface SimRecord {
  readonly operation: HisOperation;
  readonly traceNo: string;
  /** The parameters the trace number was first used with; a repeat must match. */
  readonly fingerprint: string;
  readonly answer: HisAnswer;
  readonly at: number;
  /** The app (hospital) the request named, and the money it moved: the day's statement lists them. */
  readonly appid?: string;
  readonly amountFen?: number;
}

/** One line of the HIS's statement of a day (docs/his-api.md, POST /statement). */
interface SimStatementRow {
  readonly traceNo: string;
  readonly hisNo: string;
  readonly amount: string;
  readonly kind: 'credit' | 'refund';
}

export interface SimReservation {
  readonly refundTraceNo: string;
  readonly accountKey: string;
  readonly amountFen: number;
  state: 'reserved' | 'confirmed' | 'released';
}

export interface SimSnapshot {
  readonly accounts: SimAccount[];
  readonly records: SimRecord[];
  readonly reservations: SimReservation[];
}

/** A money request, parsed; `patient` is absent for confirm-refund. */
interface SimRequest {
  readonly operation: HisOperation;
  readonly traceNo: string;
  readonly fingerprint: string;
  readonly appid?: string;
  readonly patient?: PatientKey;
  readonly amountFen?: number;
  readonly channelSucceeded?: boolean;
  readonly userName?: string;
  readonly idNo?: string;
}

interface PatientKey {
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
  readonly hisCustId: string;
}

/** Bounds so a runaway test cannot grow the simulator without limit. */
const MAX_RECORDS = 100_000;
const MAX_ACCOUNTS = 100_000;
const MAX_FIELD_CHARS = 64;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_FIELD_CHARS ? value : undefined;
}

type Parsed =
  | { readonly ok: true; readonly request: SimRequest }
  | { readonly ok: false; readonly msg: string };

/** Validates a money request body; a malformed one is refused before any lookup. */
export function parseRequest(operation: HisOperation, body: Record<string, unknown>): Parsed {
  const traceNo = str(operation === 'credit' ? body['traceNo'] : body['refundTraceNo']);
  const appid = str(body['appid']);
  const named = appid !== undefined ? { appid } : {};
  if (!traceNo) return { ok: false, msg: `${operation === 'credit' ? 'traceNo' : 'refundTraceNo'} missing` };
  if (operation === 'confirmRefund') {
    const channelSucceeded = body['channelSucceeded'];
    if (typeof channelSucceeded !== 'boolean')
      return { ok: false, msg: 'channelSucceeded must be a boolean' };
    return {
      ok: true,
      request: {
        operation,
        traceNo,
        ...named,
        channelSucceeded,
        fingerprint: JSON.stringify([channelSucceeded]),
      },
    };
  }
  const patient = parsePatient(body);
  if (!patient) return { ok: false, msg: 'cardType, cardNo, accountType and hisCustId are required' };
  const amountText = str(body['amount']) ?? '';
  const amountFen = parsePositiveYuan(amountText);
  if (amountFen === null) return { ok: false, msg: `amount must be positive yuan with two decimals` };
  const origTraceNo = operation === 'credit' ? '' : (str(body['origTraceNo']) ?? '');
  if (operation !== 'credit' && !origTraceNo) return { ok: false, msg: 'origTraceNo missing' };
  const hisOrderNo = str(body['hisOrderNo']) ?? '';
  const userName = str(body['userName']);
  const idNo = str(body['idNo']);
  return {
    ok: true,
    request: {
      operation,
      traceNo,
      ...named,
      patient,
      amountFen,
      ...(userName !== undefined ? { userName } : {}),
      ...(idNo !== undefined ? { idNo } : {}),
      fingerprint: JSON.stringify([
        patient.cardType,
        patient.cardNo,
        patient.accountType,
        patient.hisCustId,
        amountFen,
        origTraceNo,
        hisOrderNo,
      ]),
    },
  };
}

export function parsePatient(body: Record<string, unknown>): PatientKey | undefined {
  const cardType = str(body['cardType']);
  const cardNo = str(body['cardNo']);
  const accountType = str(body['accountType']);
  const hisCustId = str(body['hisCustId']);
  if (!cardType || !cardNo || !accountType || !hisCustId) return undefined;
  return { cardType, cardNo, accountType, hisCustId };
}

function accountKey(p: { hisCustId: string; accountType: string }): string {
  return `${p.hisCustId}|${p.accountType}`;
}

/**
 * The simulated HIS: deposit accounts, the recorded outcome of every trace
 * number, and pre-refund reservations. Single-threaded by construction (one
 * event loop, no await inside an operation), so no operation interleaves.
 */
export class SimState {
  private accounts = new Map<string, SimAccount>();
  private records = new Map<string, SimRecord>();
  private reservations = new Map<string, SimReservation>();
  private seq = 0;

  constructor(
    private readonly options: {
      /** Credit to an unknown patient opens the account (as the platform's own ledger does). */
      readonly autoOpen: boolean;
      readonly file?: string;
      readonly clock: () => number;
    },
  ) {
    if (options.file) this.load(options.file);
  }

  /** The recorded outcome of a trace, if any. */
  recorded(operation: HisOperation, traceNo: string): SimRecord | undefined {
    return this.records.get(`${operation}:${traceNo}`);
  }

  /**
   * Applies a money request once: a repeat with the same parameters answers
   * the recorded outcome, with other parameters "409", and nothing moves twice.
   */
  apply(request: SimRequest): HisAnswer {
    const previous = this.recorded(request.operation, request.traceNo);
    if (previous) {
      return previous.fingerprint === request.fingerprint
        ? previous.answer
        : { code: '409', msg: `${request.traceNo} was used with other parameters` };
    }
    const answer = this.execute(request);
    // confirm(true) without a reservation is the caller's mistake, not an outcome of the trace:
    // recording it would make a later, correct confirm after the pre-refund answer this error.
    if (answer !== NOT_RECORDED) {
      this.record(request, answer);
      return answer;
    }
    return { code: '1', msg: `no pre-refund ${request.traceNo} to confirm` };
  }

  /** Records a definite refusal without applying (the 'fail' fault); a recorded trace keeps its outcome. */
  refuse(request: SimRequest, msg: string): HisAnswer {
    const previous = this.recorded(request.operation, request.traceNo);
    if (previous) return previous.answer;
    const answer: HisAnswer = { code: '1', msg };
    this.record(request, answer);
    return answer;
  }

  /**
   * What the HIS booked for an app in [from, to): credits, direct refunds and
   * confirmed pre-refunds that applied (code 0). Holds and releases move no
   * money and are not listed.
   */
  statement(appid: string, from: number, to: number): SimStatementRow[] {
    const rows: SimStatementRow[] = [];
    for (const r of this.records.values()) {
      if (r.appid !== appid || r.at < from || r.at >= to || r.answer.code !== '0') continue;
      if (r.operation === 'preRefund' || !r.amountFen) continue;
      rows.push({
        traceNo: r.traceNo,
        hisNo: r.answer.callsn ?? '',
        amount: formatFen(r.amountFen),
        kind: r.operation === 'credit' ? 'credit' : 'refund',
      });
    }
    return rows;
  }

  /** Forgets one recorded operation, as an HIS that lost a booking would (control API, for tests). */
  forget(operation: HisOperation, traceNo: string): boolean {
    const gone = this.records.delete(`${operation}:${traceNo}`);
    this.save();
    return gone;
  }

  account(patient: Partial<PatientKey>): SimAccount | undefined {
    if (patient.hisCustId && patient.accountType) return this.accounts.get(accountKey(patient as PatientKey));
    for (const account of this.accounts.values()) {
      if (
        account.cardType === patient.cardType &&
        account.cardNo === patient.cardNo &&
        account.accountType === patient.accountType
      ) {
        return account;
      }
    }
    return undefined;
  }

  accountAnswer(account: SimAccount): HisAccountAnswer {
    return {
      code: '0',
      msg: 'ok',
      cardType: account.cardType,
      cardNo: account.cardNo,
      hisCustId: account.hisCustId,
      balance: formatFen(account.balanceFen),
      idType: account.idType,
      idNo: account.idNo,
      userName: account.userName,
      userSex: account.userSex,
      accountType: account.accountType,
      accountNo: account.accountNo,
      status: account.status,
    };
  }

  /** Opens or replaces an account (control API and tests). */
  putAccount(input: PatientKey & Partial<Omit<SimAccount, keyof PatientKey>>): SimAccount {
    const balanceFen = input.balanceFen ?? 0;
    if (!Number.isSafeInteger(balanceFen) || balanceFen < 0) throw new RangeError('balanceFen must be >= 0');
    const key = accountKey(input);
    const existing = this.accounts.get(key);
    if (!existing && this.accounts.size >= MAX_ACCOUNTS) throw new RangeError('too many accounts');
    // Money held by pending pre-refunds stays held when a test rewrites the account.
    const reservedFen = existing?.reservedFen ?? 0;
    if (balanceFen < reservedFen) throw new RangeError('balanceFen below the amount held by pre-refunds');
    const account: SimAccount = {
      cardType: input.cardType,
      cardNo: input.cardNo,
      hisCustId: input.hisCustId,
      accountType: input.accountType,
      balanceFen,
      reservedFen,
      idType: input.idType ?? '01',
      idNo: input.idNo ?? '',
      userName: input.userName ?? '',
      userSex: input.userSex ?? '',
      accountNo: input.accountNo ?? `SIM${input.accountType}${input.hisCustId}`,
      status: input.status ?? '01',
    };
    this.accounts.set(key, account);
    this.save();
    return account;
  }

  snapshot(): SimSnapshot {
    return structuredClone({
      accounts: [...this.accounts.values()],
      records: [...this.records.values()],
      reservations: [...this.reservations.values()],
    });
  }

  reset(): void {
    this.accounts.clear();
    this.records.clear();
    this.reservations.clear();
    this.seq = 0;
    this.save();
  }

  private execute(request: SimRequest): HisAnswer | typeof NOT_RECORDED {
    if (request.operation === 'confirmRefund')
      return this.confirm(request.traceNo, request.channelSucceeded!);
    const patient = request.patient!;
    const amountFen = request.amountFen!;
    let account = this.accounts.get(accountKey(patient));
    if (account && (account.cardType !== patient.cardType || account.cardNo !== patient.cardNo)) {
      return { code: '1', msg: '卡号与患者不符' };
    }
    if (request.operation === 'credit') {
      if (!account) {
        if (!this.options.autoOpen) return { code: '1', msg: '患者账户不存在' };
        account = this.putAccount({
          ...patient,
          ...(request.userName !== undefined ? { userName: request.userName } : {}),
          ...(request.idNo !== undefined ? { idNo: request.idNo } : {}),
        });
      }
      account.balanceFen += amountFen;
      return this.ok(account);
    }
    if (!account) return { code: '1', msg: '患者账户不存在' };
    // The balance never goes below zero, and money held by a pre-refund is not available twice.
    if (account.balanceFen - account.reservedFen < amountFen) {
      return { code: '1', msg: `余额不足: 可用 ${formatFen(account.balanceFen - account.reservedFen)} 元` };
    }
    if (request.operation === 'refund') {
      account.balanceFen -= amountFen;
      return this.ok(account);
    }
    const fenced = this.reservations.get(request.traceNo);
    if (fenced) return { code: '1', msg: `pre-refund ${request.traceNo} was already released` };
    account.reservedFen += amountFen;
    this.reservations.set(request.traceNo, {
      refundTraceNo: request.traceNo,
      accountKey: accountKey(account),
      amountFen,
      state: 'reserved',
    });
    return this.ok(account);
  }

  private confirm(traceNo: string, channelSucceeded: boolean): HisAnswer | typeof NOT_RECORDED {
    const reservation = this.reservations.get(traceNo);
    if (!reservation) {
      if (channelSucceeded) return NOT_RECORDED;
      // Releasing what was never reserved fences the trace: a late copy of the
      // pre-refund (still in flight when the platform gave up) is then refused
      // instead of holding money that nobody will ever confirm.
      this.reservations.set(traceNo, {
        refundTraceNo: traceNo,
        accountKey: '',
        amountFen: 0,
        state: 'released',
      });
      return { code: '0', msg: 'nothing was reserved; released', callsn: this.nextCallsn() };
    }
    const account = this.accounts.get(reservation.accountKey);
    if (!account) return { code: '1', msg: '患者账户不存在' };
    account.reservedFen -= reservation.amountFen;
    if (channelSucceeded) account.balanceFen -= reservation.amountFen;
    reservation.state = channelSucceeded ? 'confirmed' : 'released';
    return this.ok(account);
  }

  private ok(account: SimAccount): HisAnswer {
    return { code: '0', msg: 'ok', callsn: this.nextCallsn(), balance: formatFen(account.balanceFen) };
  }

  private nextCallsn(): string {
    this.seq += 1;
    return `HIS${String(this.seq).padStart(8, '0')}`;
  }

  private record(request: SimRequest, answer: HisAnswer): void {
    if (this.records.size >= MAX_RECORDS) throw new RangeError('simulator record limit reached; reset it');
    // A confirmed pre-refund moves the amount its hold named.
    const amountFen =
      request.operation === 'confirmRefund'
        ? request.channelSucceeded
          ? this.reservations.get(request.traceNo)?.amountFen
          : 0
        : request.amountFen;
    // confirm-refund names no app: it is the app of the hold it confirms.
    const appid = request.appid ?? this.records.get(`preRefund:${request.traceNo}`)?.appid;
    this.records.set(`${request.operation}:${request.traceNo}`, {
      operation: request.operation,
      traceNo: request.traceNo,
      fingerprint: request.fingerprint,
      answer,
      at: this.options.clock(),
      ...(appid !== undefined ? { appid } : {}),
      ...(amountFen !== undefined ? { amountFen } : {}),
    });
    this.save();
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    const data = JSON.parse(text) as SimSnapshot & { seq?: number };
    this.accounts = new Map(data.accounts.map((a) => [accountKey(a), a]));
    this.records = new Map(data.records.map((r) => [`${r.operation}:${r.traceNo}`, r]));
    this.reservations = new Map(data.reservations.map((r) => [r.refundTraceNo, r]));
    this.seq = data.seq ?? data.records.length;
  }

  /** Whole-file rewrite through a rename, so a crash never leaves half a JSON file. */
  private save(): void {
    const file = this.options.file;
    if (!file) return;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...this.snapshot(), seq: this.seq }));
    renameSync(tmp, file);
  }
}

const NOT_RECORDED = Symbol('not recorded');
