/** Exponential backoff capped at `capMs`, with full jitter on the upper half (no thundering herd). */
export function cappedJitteredBackoff(attemptsMade: number, baseMs = 1000, capMs = 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
