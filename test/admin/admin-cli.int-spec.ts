import request from 'supertest';
import { runCli } from '../../src/cli/cli';
import { startTestApp, TestApp } from '../support/test-app';

function capture(input: string) {
  const lines = { out: '', err: '' };
  const io = {
    out: (text: string) => (lines.out += text),
    err: (text: string) => (lines.err += text),
    input: async () => input,
  };
  return { lines, io };
}

describe('npm run cli -- admin:hash-password', () => {
  let t: TestApp | null = null;
  afterAll(() => t?.close());

  it('prints a hash of the password read from stdin, which the dashboard then accepts', async () => {
    const { lines, io } = capture('a long dashboard password\n');
    // No configuration at all: it runs before anything else is set up.
    expect(await runCli(['admin:hash-password'], {}, io)).toBe(0);
    const hash = lines.out.trim();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$\S+\$\S+$/);
    expect(lines.out).not.toContain('a long dashboard password');

    t = await startTestApp({ ADMIN_PASSWORD_HASH: hash, ADMIN_USERNAME: 'ops' });
    const login = (password: string) =>
      request(t!.app.getHttpServer()).post('/admin/api/login').send({ username: 'ops', password });
    expect((await login('a long dashboard password')).status).toBe(200);
    expect((await login('a long dashboard password\n')).status).toBe(401);
  });

  it('refuses a password that is too short', async () => {
    const { lines, io } = capture('short\n');
    expect(await runCli(['admin:hash-password'], {}, io)).toBe(1);
    expect(lines.err).toContain('at least 8 characters');
    expect(lines.out).toBe('');
  });
});
