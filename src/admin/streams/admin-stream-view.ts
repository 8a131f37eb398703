import type { StreamDestinationResponse } from '../../streams/managed-stream.schemas';
import type { StreamRow } from '../../stream-records/managed-streams.repository';
import { ingestOf } from '../../stream-records/stream-ingest';
import { slateOf } from '../../stream-records/stream-slate';
import type { AdminStreamView } from './admin-stream-view.schemas';

/** Pure: uptime from the first frame until it ended (or now). */
export function uptimeSeconds(startedAt: Date | null, endedAt: Date | null, now: Date): number | null {
  if (!startedAt) return null;
  return Math.max(0, Math.floor(((endedAt ?? now).getTime() - startedAt.getTime()) / 1000));
}

/** Pure: one stream as operators see it, every app's destinations included (keys already masked). */
export function adminStreamView(
  row: StreamRow,
  destination: (row: StreamRow['destinations'][number]) => StreamDestinationResponse,
  now: Date,
): AdminStreamView {
  return {
    id: row.id,
    appIds: row.attachments.map((attachment) => attachment.appId),
    userId: row.userId,
    status: row.status,
    statusReason: row.statusReason,
    strategy: row.strategy,
    strategyReason: row.strategyReason,
    relayId: row.relayId,
    cloudflareLiveInputId: row.cloudflareLiveInputId,
    ingestBaseUrl: row.ingestBaseUrl,
    hlsUrl: row.hlsUrl,
    dashUrl: row.dashUrl,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    uptimeSeconds: uptimeSeconds(row.startedAt, row.endedAt, now),
    bitrateKbps: row.bitrateKbps,
    fps: row.fps,
    droppedFrames: row.droppedFrames,
    viewers: row.viewers,
    statsUpdatedAt: row.statsUpdatedAt?.toISOString() ?? null,
    outputMode: row.outputMode,
    outputModeReason: row.outputModeReason,
    ingest: ingestOf(row),
    reconnectWindowSeconds: row.reconnectWindowSeconds,
    slate: slateOf(row),
    destinations: row.destinations.map((d) => ({ ...destination(d), appId: d.appId })),
  };
}
