/** How one delivery attempt ended, from the HTTP status (or null when no response came). */
export type AttemptOutcome = 'delivered' | 'retry' | 'permanent';

/** 2xx done; 408, 429, 5xx and network errors are transient; any other answer will not change by retrying. */
export function classifyWebhookResponse(status: number | null): AttemptOutcome {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'permanent';
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half random, so
 * receivers that come back are not hit by every sender at once. `attempt` counts from 1 (the
 * attempt that just failed). A Retry-After from the receiver is honoured up to the cap.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random01: number, retryAfterMs: number | null = null): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(step / 2 + (step / 2) * Math.min(1, Math.max(0, random01)));
  return Math.min(policy.maxMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}
