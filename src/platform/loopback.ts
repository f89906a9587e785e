/**
 * This host's own names and addresses: a listen address, a Host header's
 * name, a peer's address or a URL's host. The one place that says what
 * "only from this machine" means.
 */
export function isLoopback(hostOrAddress: string): boolean {
  const name = hostOrAddress.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || name.startsWith('127.') || name.startsWith('::ffff:127.');
}
