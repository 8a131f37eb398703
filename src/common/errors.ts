/** Domain errors thrown by services; HttpErrorFilter maps them to responses. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code: string;
  constructor(message: string, code = 'conflict', details?: Record<string, unknown>) {
    super(message, details);
    this.code = code;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** A request that is well-formed but cannot be accepted (bad URL, too many destinations, ...). */
export class InvalidInputError extends DomainError {
  readonly status = 422;
  readonly code: string = 'invalid_input';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** A destination URL or stream key we cannot use (malformed, wrong scheme, private host): its own code for clients. */
export class InvalidUrlError extends InvalidInputError {
  override readonly code = 'invalid_url';
}

/** Bytes no field may hold (a NUL, a lone surrogate): refused before validation, see hostile-input.ts. */
export class MalformedInputError extends DomainError {
  readonly status = 400;
  readonly code = 'malformed_input';
}

export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'unavailable';
}

/** An app over its request rate (APP_RATE_LIMIT_PER_MINUTE); the response carries Retry-After. */
export class RateLimitedError extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
}
