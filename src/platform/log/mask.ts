/**
 * Personal data never reaches a log line in clear. Names are masked the way
 * the spec's own examples do it (蔡少辉 → 蔡*辉), numbers keep only enough to
 * tell two apart when reading a log with the patient at the desk.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 350288888888888888 → 3502**********8888; short numbers keep their last 2. */
export function maskNumber(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  if (chars.length < 10) return `${'*'.repeat(chars.length - 2)}${chars.slice(-2).join('')}`;
  return `${chars.slice(0, 4).join('')}${'*'.repeat(chars.length - 8)}${chars.slice(-4).join('')}`;
}

/** Keys whose values are secrets: never logged, not even masked. */
const SECRET_KEYS = new Set([
  'appsecret',
  'secret',
  'authCode',
  'password',
  'token',
  'authimg_base_64',
  'mac',
  'ct',
]);
const NAME_KEYS = new Set(['userName', 'operatorName', 'certName', 'user_name', 'contact_name', 'name']);
const NUMBER_KEYS = new Set([
  'idNo',
  'certNo',
  'id_no',
  'cardNo',
  'card_no',
  'BankCardNo',
  'mobilePhone',
  'mobile_phone',
  'contactNumber',
  'phone',
  'telephone',
  'contact_phone',
  'hisCustId',
  'hisCustID',
]);

/**
 * Keys whose values are personal details or free text a person typed (an
 * address, a birthday, an employer, a wallet's user id, notes): their length
 * is logged, never their words.
 */
const PRIVATE_TEXT_KEYS = new Set([
  'address',
  'contact_address',
  'community',
  'birth_place',
  'birthday',
  'birth_day',
  'workUnit',
  'work_unit',
  'unit_phone',
  'openId',
  'open_id',
  'buyerId',
  'notes',
  'remark',
  'ShowMsg',
  'keyword',
  'cancelDesc',
  'closeReason',
  'content',
]);

const MAX_DEPTH = 6;

/** A copy of a pindata/poutdata-like value safe to log. */
export function maskForLog(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[depth]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskForLog(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(key)) out[key] = '[redacted]';
    else if (typeof v === 'string' && NAME_KEYS.has(key)) out[key] = maskName(v);
    else if (typeof v === 'string' && NUMBER_KEYS.has(key)) out[key] = maskNumber(v);
    else if (typeof v === 'string' && PRIVATE_TEXT_KEYS.has(key)) out[key] = `[${[...v].length} chars]`;
    else out[key] = maskForLog(v, depth + 1);
  }
  return out;
}
