import { isCalendarDate } from '../../protocol/time.js';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** `yyyy-mm-dd` of a real calendar day, or a Chinese reason it is not. */
export function dayProblem(day: string): string | undefined {
  return isCalendarDate(day, 'dashed') ? undefined : `日期须为 yyyy-mm-dd 格式的真实日期: ${day}`;
}

/** The Beijing day `yyyy-mm-dd` as milliseconds [from, to). */
export function beijingDayBounds(day: string): { readonly from: number; readonly to: number } {
  const problem = dayProblem(day);
  if (problem) throw new RangeError(problem);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const from = Date.UTC(y, m - 1, d) - BEIJING_OFFSET_MS;
  return { from, to: from + DAY_MS };
}

/** The Beijing day a moment falls in. */
export function beijingDayOf(at: number): string {
  return new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Beijing hour (0–23) of a moment. */
export function beijingHourOf(at: number): number {
  return new Date(at + BEIJING_OFFSET_MS).getUTCHours();
}
