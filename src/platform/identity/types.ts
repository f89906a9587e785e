/**
 * Identity providers: Alipay face verification (hop.face.query) and the
 * medical-insurance card authorisation (hop.esccard.auth.qr). The platform
 * keeps the session; a provider only says where the patient completes it and
 * what came of it. The sandbox plays both with pages a tester (or a test) drives.
 */
export type IdentityKind = 'face' | 'auth';
export type IdentityState = 'ing' | 'succ' | 'fail' | 'cancel';

/** One person as the providers report them; every field the two answers need. */
export interface Person {
  readonly name: string;
  readonly idType: string;
  readonly idNo: string;
  readonly sex: string;
  readonly phone: string;
  readonly birthday: string;
  readonly telephone: string;
  readonly address: string;
  readonly workUnit: string;
  /** Insurance card of the authorisation answer. */
  readonly cardType: string;
  readonly cardNo: string;
  /** Live photo, base64 (face only). */
  readonly photoBase64: string;
}

export interface Outcome {
  readonly state: IdentityState;
  readonly person?: Person;
  /** Why, in Chinese, when not succ. */
  readonly reason?: string;
}

export interface IdentityProvider {
  readonly kind: IdentityKind;
  /** Where the patient completes the session (a QR code or the kiosk's face screen points here). */
  urlFor(token: string): string;
  /** The session's outcome now; `ing` until the patient acts. */
  outcome(token: string): Promise<Outcome>;
}

/** 电子健康卡 of the spec's face answer (CardListType 1), in the spec's snake_case names. */
export type HealthCard = Readonly<Record<string, string | Record<string, string>>>;

export interface HealthCardProvider {
  lookup(person: Person): Promise<HealthCard | null>;
}
