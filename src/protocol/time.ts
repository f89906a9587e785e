/**
 * Times on the wire are Beijing time (UTC+8, no daylight saving) whatever the
 * machine's TZ, as 14 digits yyyyMMddHHmmss.
 */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 20141111072232 for 2014-11-11 07:22:32 Beijing time. */
export function beijing14(at: Date | number = Date.now()): string {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS);
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes()) +
    pad(d.getUTCSeconds())
  );
}

/** 2019-07-18 12:17:42, the form the spec's message examples show. */
export function beijingDisplay(at: Date | number = Date.now()): string {
  const s = beijing14(at);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
}

/** Parses 14 digits as Beijing time; null when it is not a real moment. */
export function parseBeijing14(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  const real =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return real ? new Date(utc - BEIJING_OFFSET_MS) : null;
}

/** Checks a calendar date: yyyyMMdd (compact) or yyyy-MM-dd (dashed). */
export function isCalendarDate(text: string, form: 'compact' | 'dashed'): boolean {
  const m =
    form === 'compact' ? /^(\d{4})(\d{2})(\d{2})$/.exec(text) : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}
