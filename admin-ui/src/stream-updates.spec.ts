/// <reference types="jest" />
import { applyStreamEvent, mergeEvents } from './stream-updates';
import type { AdminStream, StreamEvent } from './types';

function stream(overrides: Partial<AdminStream> = {}): AdminStream {
  return {
    id: 'ms_1',
    appIds: ['app_1'],
    userId: 'u@example.com',
    status: 'active',
    statusReason: null,
    strategy: 'relay',
    strategyReason: null,
    relayId: 'relay-1',
    cloudflareLiveInputId: null,
    ingestBaseUrl: 'rtmp://relay/live',
    hlsUrl: null,
    dashUrl: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: null,
    endedAt: null,
    uptimeSeconds: null,
    bitrateKbps: null,
    fps: null,
    droppedFrames: null,
    viewers: null,
    statsUpdatedAt: null,
    outputMode: null,
    outputModeReason: null,
    ingest: null,
    reconnectWindowSeconds: 60,
    slate: { text: 'The camera is reconnecting…', imageUrl: null },
    destinations: [
      {
        id: 'd_1',
        appId: 'app_1',
        name: 'YouTube',
        url: 'rtmp://yt',
        streamKeyMasked: '9f3k',
        enabled: true,
        status: 'idle',
        lastError: null,
        attempts: 0,
        nextRetryAt: null,
        sent: null,
        savedDestinationId: null,
      },
    ],
    ...overrides,
  };
}

function event(overrides: Partial<StreamEvent>): StreamEvent {
  return {
    id: 'ev_1',
    streamId: 'ms_1',
    destinationId: null,
    appId: null,
    type: 'stream.status',
    status: null,
    reason: null,
    data: null,
    createdAt: '2026-11-21T10:00:00.000Z',
    ...overrides,
  };
}

const REFUSED = { code: 'connection_refused', message: 'refused', at: '2026-11-21T10:00:00.000Z' };

describe('applying live stream events', () => {
  it('updates a destination state and its last error at once, without a refresh', () => {
    const errored = applyStreamEvent(
      [stream()],
      event({
        type: 'destination.status',
        destinationId: 'd_1',
        status: 'retrying',
        reason: 'refused',
        data: { attempts: 3, nextRetryAt: '2026-11-21T10:00:03.000Z', lastError: REFUSED },
      }),
    );
    expect(errored.needsRefresh).toBe(false);
    expect(errored.streams[0].destinations[0]).toMatchObject({
      status: 'retrying',
      attempts: 3,
      nextRetryAt: '2026-11-21T10:00:03.000Z',
      lastError: REFUSED,
    });
    const back = applyStreamEvent(
      errored.streams,
      event({ type: 'destination.status', destinationId: 'd_1', status: 'broadcasting' }),
    );
    // The last error stays visible after recovery, as the API keeps it.
    expect(back.streams[0].destinations[0]).toMatchObject({ status: 'broadcasting', lastError: REFUSED });
  });

  it('follows enable and disable from the event data', () => {
    const disabled = applyStreamEvent(
      [stream()],
      event({
        type: 'destination.status',
        destinationId: 'd_1',
        status: 'stopped',
        reason: 'disabled',
        data: { enabled: false },
      }),
    );
    expect(disabled.streams[0].destinations[0]).toMatchObject({ enabled: false, status: 'stopped', lastError: null });
  });

  it('updates the stream status and asks for fresh stats', () => {
    const applied = applyStreamEvent([stream()], event({ status: 'stopping', reason: 'stopped by admin' }));
    expect(applied.streams[0]).toMatchObject({ status: 'stopping', statusReason: 'stopped by admin' });
    expect(applied.needsRefresh).toBe(true);
  });

  it('asks for a refresh for what an event cannot describe: unknown streams and new destinations', () => {
    expect(applyStreamEvent([stream()], event({ streamId: 'ms_other' })).needsRefresh).toBe(true);
    expect(applyStreamEvent([stream()], event({ type: 'destination.added', destinationId: 'd_2' })).needsRefresh).toBe(true);
    expect(
      applyStreamEvent([stream()], event({ type: 'destination.status', destinationId: 'd_2', status: 'starting' })).needsRefresh,
    ).toBe(true);
  });

  it('drops a removed destination and leaves the input untouched', () => {
    const before = [stream()];
    const applied = applyStreamEvent(before, event({ type: 'destination.removed', destinationId: 'd_1' }));
    expect(applied.streams[0].destinations).toEqual([]);
    expect(before[0].destinations).toHaveLength(1);
  });

  it('merges history pages and live events without duplicates, oldest first', () => {
    const a = event({ id: 'ev_2', createdAt: '2026-11-21T10:00:02.000Z' });
    const b = event({ id: 'ev_1', createdAt: '2026-11-21T10:00:01.000Z' });
    const c = event({ id: 'ev_3', createdAt: '2026-11-21T10:00:03.000Z' });
    expect(mergeEvents([a, c], [b, a]).map((e) => e.id)).toEqual(['ev_1', 'ev_2', 'ev_3']);
    const sameTime = '2026-11-21T10:00:00.000Z';
    const nine = event({ id: '9', createdAt: sameTime });
    const ten = event({ id: '10', createdAt: sameTime });
    expect(mergeEvents([ten], [nine]).map((e) => e.id)).toEqual(['9', '10']);
  });
});
