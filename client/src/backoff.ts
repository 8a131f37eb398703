export interface BackoffOptions {
  /** Delay before the first retry (1 s by default). */
  initialDelayMs?: number;
  /** Upper bound of any delay (30 s by default). */
  maxDelayMs?: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so many
 * clients cut off at once do not all come back at the same instant. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const capped = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(capped / 2 + (random() * capped) / 2);
}
