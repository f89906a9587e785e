/**
 * JSON with keys sorted at every depth, so the same content always gives the
 * same text: what idempotency keys and request hashes are computed over.
 * Written with one string grown in a loop (no entry pairs, no joins): a
 * recharge's request hash runs it on every call.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Keys are unique, so sorting them alone orders the members as sorting the pairs did (by UTF-16 units).
    const keys = Object.keys(record).sort();
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (i > 0) text += ',';
      text += `${JSON.stringify(key)}:${canonicalJson(record[key])}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value ?? null);
}
