/** A JSON body of exactly `bytes` bytes, shaped like an answer: what the ceilings send back. */
export function paddedJson(bytes: number): string {
  const shell = '{"respCode":"000000","pad":""}';
  return `{"respCode":"000000","pad":"${'x'.repeat(Math.max(0, bytes - shell.length))}"}`;
}
