import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { strictFake } from '../../test/support/strict-fake';
import { SseConnections } from './sse-connections';
import type { StreamEventBus } from '../stream-records/stream-event-bus';
import { EventStreamSubscription, FINAL_EVENT_GRACE_MS, StreamEventStreamer } from './stream-event-streamer';
import { isFinalStreamEvent, StreamEventMessage } from '../stream-records/stream-events';
import type { StreamEventsRepository } from '../stream-records/stream-events.repository';

function event(id: string, overrides: Partial<StreamEventMessage> = {}): StreamEventMessage {
  return {
    id,
    streamId: 'ms_1',
    destinationId: null,
    appId: null,
    type: 'stream.status',
    status: 'active',
    reason: null,
    data: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
const stoppedEvent = (id: string) => event(id, { status: 'stopped' });

function setup(history: StreamEventMessage[] = []) {
  let listener: (event: StreamEventMessage) => void = () => undefined;
  const unsubscribe = jest.fn();
  const bus = strictFake<StreamEventBus>('StreamEventBus', {
    subscribe: async (_streamId, registered) => {
      listener = registered;
      return unsubscribe;
    },
  });
  // One page of history after the client's id, then nothing.
  const listAfter = jest.fn(async (_streamId: string, after: bigint) => history.filter((e) => BigInt(e.id) > after));
  const repository = strictFake<StreamEventsRepository>('StreamEventsRepository', { listAfter });
  const written: string[] = [];
  const response: Response = strictFake<Response>('Response', {
    writeHead: () => response,
    write: ((chunk: string) => written.push(chunk) > 0) as Response['write'],
    end: jest.fn(() => response),
  });
  const request = new EventEmitter() as unknown as Request;
  const connections = new SseConnections();
  const subscription = (overrides: Partial<EventStreamSubscription> = {}): EventStreamSubscription => ({
    streamId: 'ms_1',
    appId: 'app_1',
    lastEventId: null,
    stopped: false,
    ...overrides,
  });
  const ids = () => written.filter((chunk) => chunk.startsWith('id: ')).map((chunk) => chunk.split('\n')[0].slice(4));
  return {
    sut: new StreamEventStreamer(bus, repository, connections),
    mocks: {
      publish: (e: StreamEventMessage) => listener(e),
      unsubscribe,
      written,
      ids,
      request,
      response,
      connections,
      subscription,
    },
  };
}

describe('isFinalStreamEvent', () => {
  it('is the stream status `stopped` only', () => {
    expect(isFinalStreamEvent({ type: 'stream.status', status: 'stopped' })).toBe(true);
    expect(isFinalStreamEvent({ type: 'stream.status', status: 'stopping' })).toBe(false);
    expect(isFinalStreamEvent({ type: 'destination.status', status: 'stopped' })).toBe(false);
  });
});

describe('StreamEventStreamer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('replays history after Last-Event-ID, then live events, each once, hiding other apps’ destinations', async () => {
    const { sut, mocks } = setup([event('11'), event('12')]);
    await sut.stream(mocks.subscription({ lastEventId: '10' }), mocks.request, mocks.response);
    mocks.publish(event('12'));
    mocks.publish(event('13', { type: 'destination.status', appId: 'app_2' }));
    mocks.publish(event('14', { type: 'destination.status', appId: 'app_1' }));
    expect(mocks.ids()).toEqual(['11', '12', '14']);
    expect(mocks.response.end).not.toHaveBeenCalled();
    mocks.request.emit('close');
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('ends the response after the final status, once the events recorded with it went out', async () => {
    const { sut, mocks } = setup();
    await sut.stream(mocks.subscription(), mocks.request, mocks.response);
    mocks.publish(stoppedEvent('20'));
    mocks.publish(event('21', { type: 'destination.status', status: 'stopped' }));
    jest.advanceTimersByTime(FINAL_EVENT_GRACE_MS - 1);
    expect(mocks.response.end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(mocks.response.end).toHaveBeenCalledTimes(1);
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    expect(mocks.ids()).toEqual(['20', '21']);
    mocks.publish(event('22'));
    jest.advanceTimersByTime(60_000);
    expect(mocks.ids()).toEqual(['20', '21']);
  });

  it('ends right after the replay when the history holds the final status', async () => {
    const { sut, mocks } = setup([event('1'), stoppedEvent('2'), event('3', { type: 'destination.status' })]);
    await sut.stream(mocks.subscription(), mocks.request, mocks.response);
    expect(mocks.ids()).toEqual(['1', '2', '3']);
    expect(mocks.response.end).toHaveBeenCalledTimes(1);
  });

  it('ends right after the replay when the stream had stopped before, even past its final event', async () => {
    const { sut, mocks } = setup([event('1'), stoppedEvent('2')]);
    await sut.stream(mocks.subscription({ lastEventId: '2', stopped: true }), mocks.request, mocks.response);
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
    expect(mocks.response.end).toHaveBeenCalledTimes(1);
  });

  it('ends at shutdown, writes nothing after, and refuses new connections with 503', async () => {
    const { sut, mocks } = setup();
    await sut.stream(mocks.subscription(), mocks.request, mocks.response);
    mocks.connections.onModuleDestroy();
    expect(mocks.response.end).toHaveBeenCalledTimes(1);
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    mocks.publish(event('5'));
    jest.advanceTimersByTime(60_000);
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
    await expect(sut.stream(mocks.subscription(), mocks.request, mocks.response)).rejects.toMatchObject({ status: 503 });
  });

  it('sends a keepalive comment every 15 s until the client leaves', async () => {
    const { sut, mocks } = setup();
    await sut.stream(mocks.subscription(), mocks.request, mocks.response);
    jest.advanceTimersByTime(15_000);
    expect(mocks.written).toEqual(['retry: 3000\n\n', ': keepalive\n\n']);
    mocks.request.emit('close');
    jest.advanceTimersByTime(60_000);
    expect(mocks.written).toHaveLength(2);
    expect(mocks.response.end).not.toHaveBeenCalled();
  });

  it('lets go of the subscription when the client left while it was subscribing', async () => {
    const { sut, mocks } = setup([event('1')]);
    const streaming = sut.stream(mocks.subscription(), mocks.request, mocks.response);
    mocks.request.emit('close');
    await streaming;
    expect(mocks.unsubscribe).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    expect(mocks.written).toEqual(['retry: 3000\n\n']);
  });
});
