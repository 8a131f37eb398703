import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { safeEqual, sha256Hex } from '../../common/crypto/secret-hash';
import { UnauthorizedError } from '../../common/errors';
import { Random } from '../../common/random';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config.schema';
import { AdminNotConfiguredError, CsrfFailedError, LoginRateLimitedError } from '../admin-errors';
import { needsCsrfToken } from './admin-cookie';
import { verifyPassword } from './admin-password';
import { AdminSession, AdminSessionsStore } from './admin-sessions.store';
import { LOGIN_WINDOW_MS, LoginAttemptsStore } from './login-attempts.store';
import { decideLoginThrottle } from './login-throttle';

// A real hash of nothing anyone knows: a wrong username costs as much time as a wrong password.
const DECOY_HASH = 'scrypt$16384$8$1$ZGVjb3ktc2FsdC0wMDAwMA==$9Cr2zSpj3y/QRncdwmlwHq6Ea1iX7K/+GaheEX/juKQ=';

export interface SessionClaims {
  sessionId: string | null;
  method: string;
  csrfToken: string | undefined;
  /** Only where the CSRF header cannot be sent (bull-board): the browser vouches for the origin. */
  sameOriginProof?: boolean;
}

export interface SignedIn {
  sessionId: string;
  session: AdminSession;
}

/** Sign-in with the configured admin credentials, sessions, and the CSRF check. */
@Injectable()
export class AdminAuthService {
  private readonly logger = new Logger(AdminAuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: AdminSessionsStore,
    private readonly attempts: LoginAttemptsStore,
    private readonly random: Random,
    private readonly clock: Clock,
  ) {}

  get sessionTtlSeconds(): number {
    return this.config.ADMIN_SESSION_TTL_SECONDS;
  }

  assertConfigured(): string {
    if (!this.config.ADMIN_PASSWORD_HASH) throw new AdminNotConfiguredError();
    return this.config.ADMIN_PASSWORD_HASH;
  }

  async login(username: string, password: string, clientIp: string): Promise<SignedIn> {
    const passwordHash = this.assertConfigured();
    const keys = this.attempts.keysFor(clientIp, username);
    const decision = decideLoginThrottle(await this.attempts.counts(keys), this.config.ADMIN_LOGIN_MAX_ATTEMPTS, LOGIN_WINDOW_MS);
    if (!decision.allowed) throw new LoginRateLimitedError(decision.retryAfterSeconds);

    const usernameMatches = safeEqual(username, this.config.ADMIN_USERNAME);
    const passwordMatches = await verifyPassword(password, usernameMatches ? passwordHash : DECOY_HASH);
    if (!usernameMatches || !passwordMatches) {
      await this.attempts.recordFailure(keys);
      this.logger.warn({ clientIp }, 'Failed admin sign-in');
      throw new UnauthorizedError('Wrong username or password');
    }
    await this.attempts.clear(keys);
    const sessionId = this.random.token(32);
    const session: AdminSession = {
      username: this.config.ADMIN_USERNAME,
      csrfToken: this.random.token(32),
      createdAt: this.clock.now().toISOString(),
      credentials: this.credentialsTag(passwordHash),
    };
    await this.sessions.save(sessionId, session, this.config.ADMIN_SESSION_TTL_SECONDS);
    this.logger.log({ clientIp }, 'Admin signed in');
    return { sessionId, session };
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
  }

  /** The session behind a cookie; throws 503/401/403 as the dashboard's rules say. */
  async authenticate(request: SessionClaims): Promise<AdminSession> {
    const passwordHash = this.assertConfigured();
    const session = request.sessionId ? await this.sessions.find(request.sessionId) : null;
    if (!session) throw new UnauthorizedError('Sign in to the dashboard first (no session or it has expired)');
    if (session.credentials !== this.credentialsTag(passwordHash)) {
      throw new UnauthorizedError('The admin credentials have changed since this sign-in: sign in again');
    }
    const tokenMatches = request.csrfToken !== undefined && safeEqual(request.csrfToken, session.csrfToken);
    if (needsCsrfToken(request.method) && !tokenMatches && !request.sameOriginProof) throw new CsrfFailedError();
    return session;
  }

  private credentialsTag(passwordHash: string): string {
    return sha256Hex(`${this.config.ADMIN_USERNAME}\n${passwordHash}`).slice(0, 16);
  }
}
