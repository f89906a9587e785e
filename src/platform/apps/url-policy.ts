import { isLoopback } from '../loopback.js';
import type { AppConfig } from './registry.js';

/**
 * Where the platform sends an app's data over the network (its HIS, the
 * notification webhook and WeChat, a caller's notifyUrl), plain HTTP would
 * hand the signed messages and the patients' data to anyone on the path. So:
 * https, or http to this machine, unless the app allows plain http on purpose
 * (`onepay app set <appid> allowInsecureHttp=true`, docs/security.md).
 * Answers why a URL is refused (Chinese, for respMsg and the operator), or
 * undefined when it may be used.
 */
export function plainHttpRefusal(
  what: string,
  value: string,
  allowInsecureHttp: boolean,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${what} 不是合法的 URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `${what} 须为 https 地址`;
  if (allowInsecureHttp || isLoopback(url.hostname)) return undefined;
  return `${what} ${url.protocol}//${url.host} 不是 https: 须用 https (或本机地址), 或为本院明确允许 allowInsecureHttp`;
}

/** One switch per app; the HIS link's own flag of earlier versions still counts. */
export function allowsInsecureHttp(config: AppConfig): boolean {
  return config.allowInsecureHttp === true || config.depositProvider?.allowInsecureHttp === true;
}
