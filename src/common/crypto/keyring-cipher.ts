import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * AES-256-GCM with a keyring. A ciphertext reads `v1.<keyId>.<iv>.<tag>.<data>` (base64url parts),
 * so a key can be rotated: new writes use the first key, old rows stay readable until re-encrypted.
 * `context` is bound as additional authenticated data, so a ciphertext moved to another purpose fails.
 */
export class KeyringCipher {
  constructor(private readonly keys: readonly KeyringEntry[]) {
    if (keys.length === 0) throw new Error('KeyringCipher needs at least one key');
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, id, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('Unrecognised ciphertext format');
    const [, keyId, iv, tag, data] = parts;
    const entry = this.keys.find((candidate) => candidate.id === keyId);
    if (!entry) throw new Error(`Ciphertext uses unknown key id "${keyId}"`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(ciphertext: string): string {
    return ciphertext.split('.')[1] ?? '';
  }
}
