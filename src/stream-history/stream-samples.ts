import type { IngestHealth, RelayStreamStatus } from '../../relay/protocol/relay-protocol.schemas';

/** One sample per stream per slot of this many seconds, however often the relay reports. */
export const SAMPLE_INTERVAL_SECONDS = 5;
/** What the dashboard charts, and what is kept of a live stream. */
export const HISTORY_WINDOW_MINUTES = 30;

export interface StreamSampleValues {
  outputFps: number | null;
  outputBitrateKbps: number | null;
  droppedFrames: number | null;
  ingestFps: number | null;
  ingestFpsMin: number | null;
  ingestBitrateKbps: number | null;
  ingestGrade: IngestHealth['grade'] | null;
}

export interface StoredStreamSample extends StreamSampleValues {
  at: Date;
}

export interface NewStreamSample extends StreamSampleValues {
  streamId: string;
  slot: number;
  at: Date;
}

/** The slot a moment falls in: reports within one slot make one row (the first one wins). */
export function sampleSlot(at: Date): number {
  return Math.floor(at.getTime() / 1000 / SAMPLE_INTERVAL_SECONDS);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The sample a relay report makes, or null when it says nothing worth charting: only while media
 * flows to the relay (the glasses, or the slate while `reconnecting`), and only with figures.
 */
export function sampleFromReport(report: RelayStreamStatus, at: Date): NewStreamSample | null {
  if (report.status !== 'active' && report.status !== 'reconnecting') return null;
  const { ingest } = report;
  if (report.fps === undefined && report.bitrate === undefined && ingest === undefined) return null;
  return {
    streamId: report.streamId,
    slot: sampleSlot(at),
    at,
    outputFps: report.fps !== undefined ? round1(report.fps) : null,
    outputBitrateKbps: report.bitrate !== undefined ? Math.round(report.bitrate) : null,
    droppedFrames: report.droppedFrames ?? null,
    ingestFps: ingest ? round1(ingest.fpsMean) : null,
    ingestFpsMin: ingest ? round1(ingest.fpsMin) : null,
    ingestBitrateKbps: ingest ? Math.round(ingest.bitrateKbps) : null,
    ingestGrade: ingest?.grade ?? null,
  };
}

export interface PruneCutoffs {
  /** Samples of streams that have not ended, older than this, are past the window. */
  liveBefore: Date;
  /** Streams that ended before this lose all their samples. */
  endedBefore: Date;
}

export function pruneCutoffs(now: Date, retentionHours: number): PruneCutoffs {
  return {
    liveBefore: new Date(now.getTime() - HISTORY_WINDOW_MINUTES * 60_000),
    endedBefore: new Date(now.getTime() - retentionHours * 3600_000),
  };
}

/** The window a chart shows: the last `minutes` of a live stream, or of a stopped one up to its end. */
export function historyWindow(now: Date, endedAt: Date | null, minutes: number): { from: Date; to: Date } {
  const to = endedAt && endedAt < now ? endedAt : now;
  return { from: new Date(to.getTime() - minutes * 60_000), to };
}
