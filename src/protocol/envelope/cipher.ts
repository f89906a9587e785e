import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { IV_BYTES, type SuiteKeys, TAG_BYTES } from './types.js';

/**
 * Authenticated encryption per suite. Both return ciphertext || 16-byte tag,
 * and both bind the canonical header, so a ciphertext cannot be moved under
 * another header (other request, other direction, other time).
 */

const SM4_BLOCK_BYTES = 16;

function smTag(authKey: Buffer, header: string, iv: Buffer, body: Buffer): Buffer {
  return createHmac('sm3', authKey)
    .update(header, 'utf8')
    .update(iv)
    .update(body)
    .digest()
    .subarray(0, TAG_BYTES);
}

export function encrypt(keys: SuiteKeys, header: string, iv: Buffer, plaintext: Buffer): Buffer {
  if (keys.suite === 'SM') {
    const cipher = createCipheriv('sm4-cbc', keys.encKey, iv);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const body = tail.length === 0 ? head : Buffer.concat([head, tail]);
    // Encrypt-then-MAC: the tag is over the ciphertext, so a receiver rejects
    // a changed byte before it ever decrypts, and CBC padding never answers.
    return Buffer.concat([body, smTag(keys.authKey, header, iv, body)]);
  }
  const cipher = createCipheriv('aes-256-gcm', keys.encKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  return Buffer.concat([head, tail, cipher.getAuthTag()]);
}

/**
 * The plaintext bytes, or null when the iv, the ciphertext or the tag is not
 * what the key and header produced. Never throws on attacker input: every
 * length is checked before any cipher object sees it.
 */
export function decrypt(keys: SuiteKeys, header: string, iv: Buffer, sealed: Buffer): Buffer | null {
  if (iv.length !== IV_BYTES[keys.suite]) return null;
  if (keys.suite === 'SM') {
    const bodyLength = sealed.length - TAG_BYTES;
    if (bodyLength < SM4_BLOCK_BYTES || bodyLength % SM4_BLOCK_BYTES !== 0) return null;
    const body = sealed.subarray(0, bodyLength);
    const expected = smTag(keys.authKey, header, iv, body);
    if (!timingSafeEqual(expected, sealed.subarray(bodyLength))) return null;
    try {
      const decipher = createDecipheriv('sm4-cbc', keys.encKey, iv);
      const head = decipher.update(body);
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      // Reached only if the authentic sender padded wrongly: still a crypto failure.
      return null;
    }
  }
  if (sealed.length < TAG_BYTES) return null;
  const bodyLength = sealed.length - TAG_BYTES;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(bodyLength));
    decipher.setAAD(Buffer.from(header, 'utf8'));
    // GCM releases plaintext before the tag is checked; it is dropped unless final() passes.
    const head = decipher.update(sealed.subarray(0, bodyLength));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    return null;
  }
}
