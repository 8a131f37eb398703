/** One problem with one request field, as the API reports it. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface RestreamErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Every error the client throws. `status` is 0 when no HTTP answer arrived. */
export class RestreamError extends Error {
  readonly status: number;
  /** The API's machine-readable code, e.g. `already_streaming`, `invalid_url`, `rate_limited`. */
  readonly code: string;
  /** Everything else the API said: field `issues`, `streamId`, `retryAfterSeconds`, `errorId`... */
  readonly details: Record<string, unknown>;

  constructor(init: RestreamErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
  }

  /** Field-level problems (bad request bodies). */
  get issues(): FieldIssue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? issues.filter(isFieldIssue) : [];
  }
}

/** 409 `already_streaming`: this app already has a live stream for the user. */
export class AlreadyStreamingError extends RestreamError {
  /** The stream that is live: add destinations to it, or stop it first. */
  get streamId(): string | undefined {
    return typeof this.details.streamId === 'string' ? this.details.streamId : undefined;
  }
}

/** A destination URL or stream key the API cannot use (`invalid_url`, or a 400 on a url/streamKey field). */
export class InvalidUrlError extends RestreamError {}

/** Any other refused request body or query (400 / 422). */
export class ValidationError extends RestreamError {}

/** 401: missing or wrong API key. */
export class UnauthorizedError extends RestreamError {}

/** 404: no such stream or destination for this app. */
export class NotFoundError extends RestreamError {}

/** 429: over the app's request rate. */
export class RateLimitedError extends RestreamError {
  /** Seconds to wait before trying again (from `Retry-After`). */
  get retryAfterSeconds(): number {
    const value = this.details.retryAfterSeconds;
    return typeof value === 'number' && value >= 0 ? value : 1;
  }
}

/** Any other answer from the API (other 4xx, 5xx: `details.errorId` names the failure in our logs). */
export class ApiError extends RestreamError {}

/** No HTTP answer: the network failed, or the request timed out (`code` says which). */
export class NetworkError extends RestreamError {}

function isFieldIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && typeof (value as FieldIssue).path === 'string';
}

function isUrlField(path: string): boolean {
  return /(^|\.)(url|streamKey)$/.test(path);
}

function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/**
 * The typed error for an API answer. `body` is the parsed JSON error body when there was one:
 * `{ statusCode, error: code, message, issues?, ...details }`.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  nowMs = Date.now(),
): RestreamError {
  const fields: Record<string, unknown> = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body } : {};
  const code = typeof fields.error === 'string' ? fields.error : `http_${status}`;
  const message = typeof fields.message === 'string' ? fields.message : `The API answered ${status}`;
  delete fields.statusCode;
  delete fields.error;
  delete fields.message;
  const init = (details: Record<string, unknown>): RestreamErrorInit => ({ status, code, message, details });

  if (status === 401) return new UnauthorizedError(init(fields));
  if (status === 404) return new NotFoundError(init(fields));
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'), nowMs) ?? fields.retryAfterSeconds;
    return new RateLimitedError(init({ ...fields, retryAfterSeconds }));
  }
  if (status === 409 && code === 'already_streaming') return new AlreadyStreamingError(init(fields));
  if (status === 400 || status === 422) {
    const issues = Array.isArray(fields.issues) ? fields.issues.filter(isFieldIssue) : [];
    if (code === 'invalid_url' || (issues.length > 0 && issues.every((issue) => isUrlField(issue.path)))) {
      return new InvalidUrlError(init(fields));
    }
    return new ValidationError(init(fields));
  }
  return new ApiError(init(fields));
}
