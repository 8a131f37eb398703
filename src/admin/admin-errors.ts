import { DomainError } from '../common/errors';

/** ADMIN_PASSWORD_HASH is unset: the dashboard cannot let anyone in. */
export class AdminNotConfiguredError extends DomainError {
  readonly status = 503;
  readonly code = 'admin_not_configured';
  constructor() {
    super('admin sign-in is not configured: set ADMIN_PASSWORD_HASH (npm run cli -- admin:hash-password)');
  }
}

export class CsrfFailedError extends DomainError {
  readonly status = 403;
  readonly code = 'csrf_failed';
  constructor() {
    super('Missing or wrong x-csrf-token header: reload the dashboard and try again');
  }
}

export class LoginRateLimitedError extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
