import type { RelayStreamStatus } from '../../relay/protocol/relay-protocol.schemas';
import { historyWindow, pruneCutoffs, sampleFromReport, sampleSlot } from './stream-samples';

const AT = new Date('2026-12-02T18:00:02.000Z');
const ingest = {
  grade: 'degraded' as const,
  reason: 'frame rate dips to 11 fps',
  windowSeconds: 10,
  fpsMean: 23.456,
  fpsMin: 11.04,
  bitrateKbps: 1834.6,
  keyframeIntervalSeconds: 2,
  timestampJumps: 0,
  gaps: 1,
  longestGapMs: 600,
  avDriftMs: 12,
};
const report = (extra: Partial<RelayStreamStatus>): RelayStreamStatus => ({
  userId: 'u',
  streamId: 'ms_1',
  status: 'active',
  ...extra,
});

describe('sampleSlot', () => {
  it('puts reports of the same 5 seconds in one slot and the next 5 seconds in the next', () => {
    const first = sampleSlot(new Date('2026-12-02T18:00:00.000Z'));
    expect(sampleSlot(new Date('2026-12-02T18:00:04.999Z'))).toBe(first);
    expect(sampleSlot(new Date('2026-12-02T18:00:05.000Z'))).toBe(first + 1);
    expect(sampleSlot(new Date('2026-12-02T18:30:00.000Z'))).toBe(first + 360);
  });
});

describe('sampleFromReport', () => {
  it('keeps the output and uplink figures of an active report, rounded', () => {
    expect(sampleFromReport(report({ fps: 29.97, bitrate: 2500.4, droppedFrames: 3, ingest }), AT)).toEqual({
      streamId: 'ms_1',
      slot: sampleSlot(AT),
      at: AT,
      outputFps: 30,
      outputBitrateKbps: 2500,
      droppedFrames: 3,
      ingestFps: 23.5,
      ingestFpsMin: 11,
      ingestBitrateKbps: 1835,
      ingestGrade: 'degraded',
    });
  });

  it('samples the slate while reconnecting, with no uplink figures', () => {
    expect(sampleFromReport(report({ status: 'reconnecting', fps: 30, bitrate: 900 }), AT)).toMatchObject({
      outputFps: 30,
      outputBitrateKbps: 900,
      ingestFps: null,
      ingestGrade: null,
    });
  });

  it('makes no sample without figures or when no media flows', () => {
    expect(sampleFromReport(report({}), AT)).toBeNull();
    expect(sampleFromReport(report({ status: 'connecting', fps: 30 }), AT)).toBeNull();
    expect(sampleFromReport(report({ status: 'stopped', fps: 30, bitrate: 10 }), AT)).toBeNull();
    expect(sampleFromReport(report({ status: 'error', ingest }), AT)).toBeNull();
  });
});

describe('pruneCutoffs', () => {
  it('keeps 30 minutes of a live stream and the retention after a stream ends', () => {
    expect(pruneCutoffs(AT, 24)).toEqual({
      liveBefore: new Date('2026-12-02T17:30:02.000Z'),
      endedBefore: new Date('2026-12-01T18:00:02.000Z'),
    });
  });
});

describe('historyWindow', () => {
  it('ends now for a live stream and at its end for a stopped one', () => {
    expect(historyWindow(AT, null, 30)).toEqual({ from: new Date('2026-12-02T17:30:02.000Z'), to: AT });
    const ended = new Date('2026-12-02T12:00:00.000Z');
    expect(historyWindow(AT, ended, 10)).toEqual({ from: new Date('2026-12-02T11:50:00.000Z'), to: ended });
  });
});
