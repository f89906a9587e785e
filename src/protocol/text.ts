/** A validated param field as a string: absent or non-string fields read as "" (validation already ran). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
