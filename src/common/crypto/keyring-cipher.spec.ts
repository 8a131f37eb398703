import { randomBytes } from 'node:crypto';
import { KeyringCipher } from './keyring-cipher';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('KeyringCipher (AES-256-GCM with key ids)', () => {
  it('round-trips and never shows the plaintext', () => {
    const cipher = new KeyringCipher([k1]);
    const sealed = cipher.encrypt('my-stream-key', 'stream-key');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('my-stream-key');
    expect(cipher.encrypt('my-stream-key', 'stream-key')).not.toBe(sealed);
    expect(cipher.decrypt(sealed, 'stream-key')).toBe('my-stream-key');
  });

  it('reads old ciphertexts after a rotation and writes with the new key', () => {
    const sealedWithOld = new KeyringCipher([k1]).encrypt('secret', 'stream-key');
    const rotated = new KeyringCipher([k2, k1]);
    expect(rotated.decrypt(sealedWithOld, 'stream-key')).toBe('secret');
    expect(rotated.keyIdOf(rotated.encrypt('secret', 'stream-key'))).toBe('k2');
    expect(() => new KeyringCipher([k2]).decrypt(sealedWithOld, 'stream-key')).toThrow('unknown key id "k1"');
  });

  it('refuses tampered ciphertexts and ciphertexts moved to another purpose', () => {
    const cipher = new KeyringCipher([k1]);
    const sealed = cipher.encrypt('secret', 'stream-key');
    expect(() => cipher.decrypt(sealed, 'webhook-secret')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x' + Buffer.from(parts[4], 'base64url').toString('latin1')).toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'stream-key')).toThrow();
  });
});
