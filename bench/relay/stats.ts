// Small pure helpers for the relay benchmark's figures.
import type { LatencySample } from './frame-latency';

/** Nearest-rank percentile (0-100) of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface LatencySummary {
  frames: number;
  medianMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Decoded pictures that matched no input frame (should be 0). */
  unmatched: number;
}

export function summarizeLatency(samples: readonly LatencySample[], unmatched: number): LatencySummary {
  const values = samples.map((s) => s.latencyMs);
  return {
    frames: values.length,
    medianMs: percentile(values, 50),
    p95Ms: percentile(values, 95),
    maxMs: values.length ? Math.max(...values) : null,
    unmatched,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every `everyMs` until it holds (true) or `timeoutMs` passes (false). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}
