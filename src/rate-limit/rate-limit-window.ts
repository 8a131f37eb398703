/** A fixed one-minute window per app: cheap (one Redis round trip) and the same on every API process. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateLimitWindow {
  /** The Redis key counting this app's requests in the current window. */
  key: string;
  /** Milliseconds until the window ends (the counter's time to live). */
  remainingMs: number;
}

export function rateLimitWindow(appId: string, nowMs: number): RateLimitWindow {
  const index = Math.floor(nowMs / RATE_LIMIT_WINDOW_MS);
  return { key: `ratelimit:app:${appId}:${index}`, remainingMs: (index + 1) * RATE_LIMIT_WINDOW_MS - nowMs };
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (at least 1): the `Retry-After` of a refusal. */
  resetSeconds: number;
}

export function rateLimitDecision(count: number, limit: number, remainingMs: number): RateLimitDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
  };
}
