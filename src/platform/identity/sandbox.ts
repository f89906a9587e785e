import { createHash } from 'node:crypto';
import type { App } from '../apps/registry.js';
import type { Platform } from '../platform.js';
import type { HealthCard, HealthCardProvider, IdentityKind, IdentityProvider, Person } from './types.js';

/** A 1×1 grey PNG: the sandbox's "live photo". */
const SANDBOX_PHOTO_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgYAAAAAMAASsJTYQAAAAASUVORK5CYII=';

/** The person the sandbox pages offer by default (the spec's own example patient). */
export const SANDBOX_PERSON: Person = {
  name: '蔡少辉',
  idType: '01',
  idNo: '350288888888888888',
  sex: '1',
  phone: '13011111111',
  birthday: '1995-04-28',
  telephone: '',
  address: '厦门市思明区',
  workUnit: '',
  cardType: '01',
  cardNo: 'S350288888',
  photoBase64: SANDBOX_PHOTO_BASE64,
};

/**
 * The sandbox plays the provider's side with pages (src/web/identity): the
 * tester completes, refuses or abandons there, and the page settles the
 * session directly, the way a real provider's notification would. Asked for
 * an outcome, the sandbox therefore has nothing newer than the session row.
 */
class SandboxIdentityProvider implements IdentityProvider {
  constructor(
    readonly kind: IdentityKind,
    private readonly publicUrl: () => string,
  ) {}

  urlFor(token: string): string {
    return `${this.publicUrl()}/id-sandbox/${this.kind}/${token}`;
  }

  async outcome(): Promise<{ state: 'ing' }> {
    return { state: 'ing' };
  }
}

/** Deterministic sandbox health cards: the same person always has the same card ids. */
class SandboxHealthCards implements HealthCardProvider {
  async lookup(p: Person): Promise<HealthCard> {
    const digest = createHash('sha256').update(`ehc:${p.idType}:${p.idNo}`).digest('hex').toUpperCase();
    return {
      mindex_id: `MI${digest.slice(0, 30)}`,
      ehealth_card_id: `EHC${digest.slice(30, 62)}`,
      xman_id: '',
      smk_id: '',
      id_type: p.idType,
      id_no: p.idNo,
      user_name: p.name,
      user_sex: p.sex,
      mobile_phone: p.phone,
      birthday: p.birthday,
      telephone: p.telephone,
      address: p.address,
      work_unit: p.workUnit,
      card_type: '05',
      card_no: `EHC${digest.slice(30, 46)}`,
      citizen: 'CN',
      extra: {},
    };
  }
}

interface IdentityProviders {
  readonly face: IdentityProvider;
  readonly auth: IdentityProvider;
  readonly healthCards: HealthCardProvider;
}

const PROVIDERS = new WeakMap<Platform, IdentityProviders>();

/**
 * An app's identity providers: the sandbox's pages for a sandbox app; none yet
 * for a live app (no real face or insurance-card provider is integrated), so a
 * live hospital is told so instead of being answered by simulated identities.
 */
export function identityProviders(platform: Platform, app: Pick<App, 'mode'>): IdentityProviders | undefined {
  if (app.mode !== 'sandbox') return undefined;
  let p = PROVIDERS.get(platform);
  if (!p) {
    p = {
      face: new SandboxIdentityProvider('face', () => platform.publicUrl),
      auth: new SandboxIdentityProvider('auth', () => platform.publicUrl),
      healthCards: new SandboxHealthCards(),
    };
    PROVIDERS.set(platform, p);
  }
  return p;
}
