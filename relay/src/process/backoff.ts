export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** 0..1: how much of each delay is randomised. */
  jitter: number;
}

/** Capped exponential backoff with jitter; `random` is injectable so tests are deterministic. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  const spread = exponential * policy.jitter;
  return Math.round(exponential - spread + random() * spread);
}

/** Destinations retry fast enough to be broadcasting within 5 s of coming back. */
export const DESTINATION_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 3000, jitter: 0.3 };
/** A platform still holding an earlier session for the key ("Already publishing") is asked again slowly. */
export const SESSION_HELD_BACKOFF: BackoffPolicy = { initialMs: 5000, maxMs: 30_000, jitter: 0.3 };
export const ENCODER_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 5000, jitter: 0.3 };
