import QRCode from 'qrcode';

/** QR codes are drawn again at every status read; a few hundred live ones fit in this cache. */
const MAX_CACHED = 256;
const cache = new Map<string, string>();

/**
 * The QR code as an SVG data URL, drawn by the platform itself: no CDN and no
 * browser-side library, so a desk on an isolated LAN still shows it.
 */
export async function qrDataUrl(content: string): Promise<string> {
  const hit = cache.get(content);
  if (hit) return hit;
  const svg = await QRCode.toString(content, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(content, url);
  return url;
}
