/**
 * This host's own names and addresses: a listen address, a Host header's
 * name, a peer's address or a URL's host. The one place that says what
 * "only from this machine" means.
 */
export function isLoopback(hostOrAddress: string): boolean {
  const name = hostOrAddress.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  // Address literals only: a name like 127.0.0.1.attacker.example is someone else's host.
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  return /^127(\.\d{1,3}){3}$/.test(v4);
}
