// What the glasses do during a simulated run: a seeded, reproducible script of connects,
// disconnects and reconnects, and what our stream status should read after each.

export type ExpectedStatus = 'active' | 'reconnecting';

export interface TruthEvent {
  atMs: number;
  stream: number;
  action: 'connect' | 'disconnect';
  expected: ExpectedStatus;
}

/** mulberry32: tiny, seeded, good enough to spread events. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every stream connects in the first 2 minutes; 30 % drop between minute 3 and 9 and half of
 * those come back 30-90 s later. Sorted by time.
 */
export function truthScript(streams: number, durationMs: number, seed = 42): TruthEvent[] {
  const random = seededRandom(seed);
  const events: TruthEvent[] = [];
  for (let stream = 0; stream < streams; stream++) {
    events.push({ atMs: Math.floor(random() * 120_000), stream, action: 'connect', expected: 'active' });
    if (random() < 0.3) {
      const dropAt = 180_000 + Math.floor(random() * 360_000);
      if (dropAt < durationMs) events.push({ atMs: dropAt, stream, action: 'disconnect', expected: 'reconnecting' });
      const backAt = dropAt + 30_000 + Math.floor(random() * 60_000);
      if (random() < 0.5 && backAt < durationMs) events.push({ atMs: backAt, stream, action: 'connect', expected: 'active' });
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
