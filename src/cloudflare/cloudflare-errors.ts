import Cloudflare from 'cloudflare';
import { CloudflareBudgetExhaustedError } from './cloudflare-api-budget';

/**
 * transient: worth retrying (network, timeout, 5xx, 429, our own budget);
 * auth: our credentials are wrong (retrying will not help, but it is not the stream's fault);
 * rejected: Cloudflare refused this request (4xx), e.g. the 51st output;
 * not_found: the thing is gone already.
 */
export type CloudflareFailureKind = 'transient' | 'auth' | 'rejected' | 'not_found';

export class CloudflareCallError extends Error {
  constructor(
    readonly kind: CloudflareFailureKind,
    readonly status: number | null,
    message: string,
    readonly rateLimited = false,
    /** When the call could be made again, if known (our budget knows exactly). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Maps whatever the SDK (or our budget) threw to a kind the callers can act on. */
export function classifyCloudflareError(operation: string, error: unknown): CloudflareCallError {
  if (error instanceof CloudflareCallError) return error;
  if (error instanceof CloudflareBudgetExhaustedError) {
    return new CloudflareCallError('transient', 429, `${operation}: ${error.message}`, true, error.retryAfterMs);
  }
  if (error instanceof Cloudflare.APIConnectionError) {
    return new CloudflareCallError('transient', null, `${operation}: ${error.message}`);
  }
  if (error instanceof Cloudflare.APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const detail = describeErrors(error.errors) ?? error.message;
    if (status === 429) {
      return new CloudflareCallError('transient', status, `${operation}: rate limited by Cloudflare`, true, 5 * 60_000);
    }
    if (status === 401 || status === 403) return new CloudflareCallError('auth', status, `${operation}: ${detail}`);
    if (status === 404) return new CloudflareCallError('not_found', status, `${operation}: ${detail}`);
    if (status !== null && (status === 408 || status === 409 || status >= 500)) {
      return new CloudflareCallError('transient', status, `${operation}: Cloudflare answered ${status}`);
    }
    return new CloudflareCallError('rejected', status, `${operation}: ${detail}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CloudflareCallError('transient', null, `${operation}: ${message}`);
}

function describeErrors(errors: ReadonlyArray<{ code?: number; message?: string }> | undefined): string | null {
  if (!errors || errors.length === 0) return null;
  return errors.map((e) => (e.code ? `${e.message ?? 'error'} (${e.code})` : (e.message ?? 'error'))).join('; ');
}
