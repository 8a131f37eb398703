import { uptimeSeconds } from './admin-stream-view';
import type { AdminLiveStats } from './admin-stream-view.schemas';

export interface LiveStatsRow {
  id: string;
  startedAt: Date | null;
  endedAt: Date | null;
  bitrateKbps: number | null;
  fps: number | null;
  droppedFrames: number | null;
  viewers: number | null;
  statsUpdatedAt: Date | null;
}

/** One stream in a `stream.stats` message. */
export type LiveStats = AdminLiveStats['streams'][number];

/**
 * Pure: the streams whose stats changed since the last look (the relay's reports update them
 * without recording an event, so the dashboard's feed sends these apart), and what to remember.
 */
export function changedLiveStats(
  seen: ReadonlyMap<string, string | null>,
  rows: readonly LiveStatsRow[],
  now: Date,
): { changed: LiveStats[]; seen: Map<string, string | null> } {
  const next = new Map<string, string | null>();
  const changed: LiveStats[] = [];
  for (const row of rows) {
    const updatedAt = row.statsUpdatedAt?.toISOString() ?? null;
    next.set(row.id, updatedAt);
    if (seen.has(row.id) && seen.get(row.id) === updatedAt) continue;
    changed.push({
      id: row.id,
      uptimeSeconds: uptimeSeconds(row.startedAt, row.endedAt, now),
      bitrateKbps: row.bitrateKbps,
      fps: row.fps,
      droppedFrames: row.droppedFrames,
      viewers: row.viewers,
      statsUpdatedAt: updatedAt,
    });
  }
  return { changed, seen: next };
}
