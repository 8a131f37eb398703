import { configSchema } from '../../config/config.schema';
import { hashPassword, parsePasswordHash, verifyPassword } from './admin-password';

const FAST = { N: 1024, r: 8, p: 1 };

describe('admin password hashes', () => {
  it('verifies the password it hashed and refuses any other', async () => {
    const encoded = await hashPassword('correct horse battery staple', FAST);
    expect(encoded).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('correct horse battery staple', encoded)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', encoded)).resolves.toBe(false);
    await expect(verifyPassword('', encoded)).resolves.toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('uses the default parameters, which the config accepts', async () => {
    const encoded = await hashPassword('pw');
    expect(encoded.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(configSchema.shape.ADMIN_PASSWORD_HASH.safeParse(encoded).success).toBe(true);
  });

  it.each([
    ['not a hash'],
    ['bcrypt$10$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['scrypt$1024$0$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['scrypt$1024$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['scrypt$2097152$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='],
  ])('refuses the unusable hash %s without throwing', async (encoded) => {
    expect(parsePasswordHash(encoded)).toBeNull();
    await expect(verifyPassword('pw', encoded)).resolves.toBe(false);
  });
});
