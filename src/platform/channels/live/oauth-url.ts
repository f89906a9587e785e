import { isLoopback } from '../../loopback.js';

/**
 * A wallet's authorization or token host as a hospital may set it (to point a
 * test at a gateway double): the wallet's own by default, https, plain http
 * only to this machine. Ends with a slash, so paths are appended.
 */
export function oauthBaseUrl(value: string | undefined, fallback: string, field: string): string {
  const raw = value?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${field}: not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new Error(`${field}: must be https (plain http only to a loopback gateway double)`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
