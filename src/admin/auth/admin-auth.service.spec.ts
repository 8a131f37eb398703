import { ConsoleLogger, Logger } from '@nestjs/common';
import { testConfig } from '../../../test/support/test-config';
import { strictFake } from '../../../test/support/strict-fake';
import type { Clock } from '../../common/clock';
import { UnauthorizedError } from '../../common/errors';
import type { Random } from '../../common/random';
import { AdminNotConfiguredError, CsrfFailedError, LoginRateLimitedError } from '../admin-errors';
import { AdminAuthService } from './admin-auth.service';
import { hashPassword } from './admin-password';
import type { AdminSession, AdminSessionsStore } from './admin-sessions.store';
import type { LoginAttemptsStore } from './login-attempts.store';
import type { FailureCount } from './login-throttle';

const PASSWORD = 'a long dashboard password';
const FAST = { N: 1024, r: 8, p: 1 };

function setup(options: { passwordHash?: string; failures?: FailureCount[]; username?: string }) {
  const saved = new Map<string, { session: AdminSession; ttl: number }>();
  const sessions = strictFake<AdminSessionsStore>('AdminSessionsStore', {
    save: async (id, session, ttl) => void saved.set(id, { session, ttl }),
    find: async (id) => saved.get(id)?.session ?? null,
    delete: async (id) => void saved.delete(id),
  });
  const recordFailure = jest.fn(async () => undefined);
  const clear = jest.fn(async () => undefined);
  const attempts = strictFake<LoginAttemptsStore>('LoginAttemptsStore', {
    keysFor: (ip, username) => [`ip:${ip}`, `user:${username}`],
    counts: async () => options.failures ?? [],
    recordFailure,
    clear,
  });
  let tokens = 0;
  const random = strictFake<Random>('Random', { token: () => `token-${++tokens}` });
  const clock = strictFake<Clock>('Clock', { now: () => new Date('2026-01-01T00:00:00Z') });
  const config = testConfig({
    DATABASE_URL: 'postgres://x/y',
    REDIS_URL: 'redis://x',
    ADMIN_USERNAME: options.username ?? 'admin',
    ADMIN_SESSION_TTL_SECONDS: '600',
    ADMIN_LOGIN_MAX_ATTEMPTS: '3',
    ...(options.passwordHash ? { ADMIN_PASSWORD_HASH: options.passwordHash } : {}),
  });
  return {
    sut: new AdminAuthService(config, sessions, attempts, random, clock),
    mocks: { saved, recordFailure, clear },
  };
}

describe('AdminAuthService', () => {
  let passwordHash: string;
  beforeAll(async () => {
    // Its sign-in log lines are checked by the integration tests; here they would only be noise.
    Logger.overrideLogger(false);
    passwordHash = await hashPassword(PASSWORD, FAST);
  });
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('signs in: a new session with its own CSRF token, for the configured lifetime; failures are forgotten', async () => {
    const { sut, mocks } = setup({ passwordHash });
    const signedIn = await sut.login('admin', PASSWORD, '203.0.113.1');
    expect(signedIn).toEqual({
      sessionId: 'token-1',
      session: {
        username: 'admin',
        csrfToken: 'token-2',
        createdAt: '2026-01-01T00:00:00.000Z',
        credentials: expect.any(String),
      },
    });
    expect(mocks.saved.get('token-1')?.ttl).toBe(600);
    expect(mocks.clear).toHaveBeenCalledWith(['ip:203.0.113.1', 'user:admin']);
    expect(mocks.recordFailure).not.toHaveBeenCalled();
  });

  it('counts a wrong password or username as a failure for the address and the name', async () => {
    const { sut, mocks } = setup({ passwordHash });
    await expect(sut.login('admin', 'wrong', '203.0.113.2')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(sut.login('root', PASSWORD, '203.0.113.2')).rejects.toThrow('Wrong username or password');
    expect(mocks.recordFailure).toHaveBeenCalledTimes(2);
    expect(mocks.recordFailure).toHaveBeenLastCalledWith(['ip:203.0.113.2', 'user:root']);
    expect(mocks.saved.size).toBe(0);
  });

  it('refuses while throttled without even checking the password', async () => {
    const { sut, mocks } = setup({ passwordHash, failures: [{ count: 3, ttlMs: 30_000 }] });
    const refused = sut.login('admin', PASSWORD, '203.0.113.3');
    await expect(refused).rejects.toBeInstanceOf(LoginRateLimitedError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(mocks.recordFailure).not.toHaveBeenCalled();
  });

  it('checks the session, and the CSRF token (or same-origin proof) on changes', async () => {
    const { sut } = setup({ passwordHash });
    const { sessionId, session } = await sut.login('admin', PASSWORD, '203.0.113.4');
    const claims = { sessionId, method: 'GET', csrfToken: undefined };
    await expect(sut.authenticate(claims)).resolves.toEqual(session);
    await expect(sut.authenticate({ ...claims, sessionId: null })).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(sut.authenticate({ ...claims, sessionId: 'unknown' })).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(sut.authenticate({ ...claims, method: 'POST' })).rejects.toBeInstanceOf(CsrfFailedError);
    await expect(sut.authenticate({ ...claims, method: 'POST', csrfToken: 'token-1' })).rejects.toBeInstanceOf(CsrfFailedError);
    await expect(sut.authenticate({ ...claims, method: 'DELETE', csrfToken: session.csrfToken })).resolves.toEqual(session);
    await expect(sut.authenticate({ ...claims, method: 'PUT', sameOriginProof: true })).resolves.toEqual(session);
  });

  it('ends sessions signed in with credentials that have since changed', async () => {
    const before = setup({ passwordHash });
    const { sessionId, session } = await before.sut.login('admin', PASSWORD, '203.0.113.5');
    const rotated = setup({ passwordHash: await hashPassword('another long password', FAST) });
    rotated.mocks.saved.set(sessionId, { session, ttl: 600 });
    await expect(rotated.sut.authenticate({ sessionId, method: 'GET', csrfToken: undefined })).rejects.toThrow(
      'The admin credentials have changed since this sign-in: sign in again',
    );
    const renamed = setup({ passwordHash, username: 'ops' });
    renamed.mocks.saved.set(sessionId, { session, ttl: 600 });
    await expect(renamed.sut.authenticate({ sessionId, method: 'GET', csrfToken: undefined })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('answers 503 for everything while no password hash is configured', async () => {
    const { sut } = setup({});
    await expect(sut.login('admin', PASSWORD, '203.0.113.6')).rejects.toBeInstanceOf(AdminNotConfiguredError);
    await expect(sut.authenticate({ sessionId: 'x', method: 'GET', csrfToken: undefined })).rejects.toBeInstanceOf(
      AdminNotConfiguredError,
    );
  });
});
