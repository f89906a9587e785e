import { openSecret, sealSecret } from './master-key.js';

/**
 * Seals what must not lie in the database in clear (webhook and WeChat
 * secrets, …) with the platform's master key, each bound to where it belongs
 * (`boundTo`), so a sealed value cannot be moved to another row.
 */
export class SecretBox {
  constructor(private readonly masterKey: Buffer) {}

  seal(text: string, boundTo: string): string {
    return sealSecret(this.masterKey, text, boundTo);
  }

  open(sealed: string, boundTo: string): string {
    return openSecret(this.masterKey, sealed, boundTo);
  }
}
