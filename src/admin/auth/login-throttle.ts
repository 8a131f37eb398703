/** Failed sign-ins counted in one window per key (the client's IP, the username tried). */
export interface FailureCount {
  count: number;
  /** Milliseconds until the window resets; negative when the key has no expiry or does not exist. */
  ttlMs: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Pure: a sign-in is refused while any of its keys has reached the limit, until that key's
 * window ends (the longest wait wins, so a client is told the truth once).
 */
export function decideLoginThrottle(counts: readonly FailureCount[], maxFailures: number, windowMs: number): ThrottleDecision {
  const blocking = counts.filter((entry) => entry.count >= maxFailures);
  if (blocking.length === 0) return { allowed: true };
  const waitMs = Math.max(...blocking.map((entry) => (entry.ttlMs > 0 ? entry.ttlMs : windowMs)));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
