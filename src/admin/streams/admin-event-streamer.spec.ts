import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { strictFake } from '../../../test/support/strict-fake';
import { SseConnections } from '../../streams/sse-connections';
import type { StreamEventBus } from '../../stream-records/stream-event-bus';
import type { StreamEventMessage } from '../../stream-records/stream-events';
import type { Clock } from '../../common/clock';
import { AdminEventStreamer, HEARTBEAT_MS, STATS_INTERVAL_MS } from './admin-event-streamer';
import type { LiveStatsRow } from './live-stats';
import type { AdminStreamsRepository } from './admin-streams.repository';

function event(id: string, type: StreamEventMessage['type'] = 'stream.status'): StreamEventMessage {
  return {
    id,
    streamId: 'ms_1',
    destinationId: null,
    appId: null,
    type,
    status: 'active',
    reason: null,
    data: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function setup(history: StreamEventMessage[] = [], liveStats: () => LiveStatsRow[] = () => []) {
  let listener: (event: StreamEventMessage) => void = () => undefined;
  const unsubscribe = jest.fn();
  const bus = strictFake<StreamEventBus>('StreamEventBus', {
    subscribeAll: async (registered) => {
      listener = registered;
      return unsubscribe;
    },
  });
  const eventsAfter = jest.fn(async () => history);
  const repository = strictFake<AdminStreamsRepository>('AdminStreamsRepository', {
    eventsAfter,
    liveStats: async () => liveStats(),
  });
  const clock = strictFake<Clock>('Clock', { now: () => new Date('2026-01-01T10:01:00Z') });
  const written: string[] = [];
  const response: Response = strictFake<Response>('Response', {
    writeHead: () => response,
    write: ((chunk: string) => written.push(chunk) > 0) as Response['write'],
    end: () => response,
  });
  const request = new EventEmitter() as unknown as Request;
  const connections = new SseConnections();
  return {
    sut: new AdminEventStreamer(bus, repository, clock, connections),
    mocks: { publish: (e: StreamEventMessage) => listener(e), unsubscribe, eventsAfter, written, request, response, connections },
  };
}

describe('AdminEventStreamer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends every event named by its type, and a heartbeat comment every 15 s until the client leaves', async () => {
    const { sut, mocks } = setup();
    await sut.stream(null, mocks.request, mocks.response);
    mocks.publish(event('7', 'destination.status'));
    expect(mocks.written).toEqual([
      'retry: 3000\n\n',
      `id: 7\nevent: destination.status\ndata: ${JSON.stringify(event('7', 'destination.status'))}\n\n`,
    ]);
    expect(mocks.eventsAfter).not.toHaveBeenCalled();

    jest.advanceTimersByTime(HEARTBEAT_MS - 1);
    expect(mocks.written).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(mocks.written[2]).toBe(': heartbeat\n\n');
    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(mocks.written).toHaveLength(4);

    mocks.request.emit('close');
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(mocks.written).toHaveLength(4);
  });

  it('catches up after Last-Event-ID without repeating what arrives live meanwhile', async () => {
    const { sut, mocks } = setup([event('11'), event('12')]);
    await sut.stream('10', mocks.request, mocks.response);
    mocks.publish(event('12'));
    mocks.publish(event('13'));
    const ids = mocks.written.filter((chunk) => chunk.startsWith('id: ')).map((chunk) => chunk.split('\n')[0]);
    expect(ids).toEqual(['id: 11', 'id: 12', 'id: 13']);
    expect(mocks.eventsAfter).toHaveBeenCalledWith(10n, expect.any(Number));
  });

  it('ends open feeds when the application shuts down, stops writing, and refuses new ones', async () => {
    const { sut, mocks } = setup();
    const end = jest.spyOn(mocks.response, 'end');
    await sut.stream(null, mocks.request, mocks.response);
    mocks.connections.onModuleDestroy();
    expect(end).toHaveBeenCalledTimes(1);
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
    await expect(sut.stream(null, mocks.request, mocks.response)).rejects.toMatchObject({ status: 503 });
  });

  it('ends a feed still replaying at shutdown without writing after its end', async () => {
    let replay: (events: StreamEventMessage[]) => void = () => undefined;
    const { sut, mocks } = setup();
    mocks.eventsAfter.mockImplementationOnce(() => new Promise((resolve) => (replay = resolve)));
    const streaming = sut.stream('10', mocks.request, mocks.response);
    await jest.advanceTimersByTimeAsync(0);
    mocks.connections.onModuleDestroy();
    replay([event('11')]);
    await streaming;
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
  });

  it('forwards changed live stats as stream.stats, without an id, and nothing when they did not change', async () => {
    let report = { bitrateKbps: 2500, statsUpdatedAt: new Date('2026-01-01T10:00:58Z') };
    const row = (): LiveStatsRow => ({
      id: 'ms_1',
      startedAt: new Date('2026-01-01T10:00:00Z'),
      endedAt: null,
      fps: 30,
      droppedFrames: 1,
      viewers: 0,
      ...report,
    });
    const { sut, mocks } = setup([], () => [row()]);
    await sut.stream(null, mocks.request, mocks.response);
    await jest.advanceTimersByTimeAsync(STATS_INTERVAL_MS);
    const stats = {
      id: 'ms_1',
      uptimeSeconds: 60,
      bitrateKbps: 2500,
      fps: 30,
      droppedFrames: 1,
      viewers: 0,
      statsUpdatedAt: '2026-01-01T10:00:58.000Z',
    };
    expect(mocks.written.slice(1)).toEqual([`event: stream.stats\ndata: ${JSON.stringify({ streams: [stats] })}\n\n`]);
    await jest.advanceTimersByTimeAsync(STATS_INTERVAL_MS);
    expect(mocks.written).toHaveLength(2);
    report = { bitrateKbps: 3000, statsUpdatedAt: new Date('2026-01-01T10:00:59Z') };
    await jest.advanceTimersByTimeAsync(STATS_INTERVAL_MS);
    expect(mocks.written).toHaveLength(3);
    expect(mocks.written[2]).toContain('"bitrateKbps":3000');
    mocks.request.emit('close');
  });

  it('lets go of everything when the client left while it was subscribing', async () => {
    const { sut, mocks } = setup();
    const streaming = sut.stream(null, mocks.request, mocks.response);
    mocks.request.emit('close');
    await streaming;
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
  });
});
