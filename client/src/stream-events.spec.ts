import { NotFoundError, RateLimitedError, RestreamError } from './errors.js';
import type { StreamEvent } from './generated/api.js';
import { isNewEventId, StreamEventsConnection, StreamEventsOptions } from './stream-events.js';
import { Transport } from './transport.js';

/** A server-sent event stream the test writes to; aborting the request errors it, as fetch does. */
function eventStream(signal: AbortSignal | null | undefined) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  signal?.addEventListener('abort', () => controller.error(new DOMException('This operation was aborted', 'AbortError')));
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send(id: number, status: string) {
      const event: Partial<StreamEvent> = { id: String(id), streamId: 'str_1', type: 'stream.status', status };
      controller.enqueue(encoder.encode(`id: ${id}\nevent: stream.status\ndata: ${JSON.stringify(event)}\n\n`));
    },
    keepalive: () => controller.enqueue(encoder.encode(': keepalive\n\n')),
    cut: () => controller.error(new TypeError('terminated')),
  };
}

type Stream = ReturnType<typeof eventStream>;

/** A fetch that answers each connection with what the test scripted next; any other call fails the test. */
function scriptedServer(...answers: ((signal: AbortSignal | null | undefined) => Response | Stream)[]) {
  const requests: Record<string, string>[] = [];
  const streams: Stream[] = [];
  const transport = new Transport({
    baseUrl: 'http://api.test',
    apiKey: 'rsk_key',
    fetch: async (url, init) => {
      expect(url).toBe('http://api.test/api/managed-streams/str_1/events');
      requests.push(init.headers as Record<string, string>);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected connection #${requests.length}`);
      const result = answer(init.signal);
      if (result instanceof Response) return result;
      streams.push(result);
      return result.response;
    },
  });
  return { transport, requests, streams };
}

function subscribe(transport: Transport, options: StreamEventsOptions = {}) {
  const received: string[] = [];
  const errors: { error: RestreamError; willRetry: boolean }[] = [];
  const subscription = new StreamEventsConnection(transport, 'str_1', (event) => received.push(`${event.id}:${event.status}`), {
    reconnect: { initialDelayMs: 1000, maxDelayMs: 1000 },
    onError: (error, willRetry) => errors.push({ error, willRetry }),
    ...options,
  }).start();
  return { subscription, received, errors };
}

const flush = () => jest.advanceTimersByTimeAsync(0);

describe('stream events subscription', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('compares event ids as increasing integers', () => {
    expect(isNewEventId('10', '9')).toBe(true);
    expect(isNewEventId('9', '10')).toBe(false);
    expect(isNewEventId('10', '10')).toBe(false);
    expect(isNewEventId('12345678901234567890', '12345678901234567889')).toBe(true);
    expect(isNewEventId('abc', null)).toBe(true);
  });

  it('reconnects after a cut with Last-Event-ID, delivering each event exactly once', async () => {
    const server = scriptedServer(eventStream, eventStream);
    const { subscription, received, errors } = subscribe(server.transport);
    await flush();
    expect(subscription.state).toBe('open');
    server.streams[0].send(1, 'initializing');
    server.streams[0].send(2, 'connecting');
    await flush();
    expect(received).toEqual(['1:initializing', '2:connecting']);
    expect(server.requests[0]['Last-Event-ID']).toBeUndefined();
    expect(server.requests[0].Authorization).toBe('Bearer rsk_key');

    server.streams[0].cut();
    await flush();
    expect(subscription.state).toBe('reconnecting');
    expect(errors).toEqual([{ error: expect.objectContaining({ code: 'connection_lost' }), willRetry: true }]);
    expect(server.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]['Last-Event-ID']).toBe('2');

    // What the server replays may overlap what was already delivered.
    server.streams[1].send(2, 'connecting');
    server.streams[1].send(3, 'active');
    await flush();
    expect(received).toEqual(['1:initializing', '2:connecting', '3:active']);
    expect(subscription.lastEventId).toBe('3');

    subscription.close();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(server.requests).toHaveLength(2);
    expect(subscription.state).toBe('closed');
  });

  it('backs off longer after each failed attempt, up to the cap', async () => {
    // The top of each jittered range: 1 s, 2 s, then the 3 s cap.
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const refused = () => new Response('{"statusCode":503,"error":"unavailable","message":"down"}', { status: 503 });
    const server = scriptedServer(refused, refused, refused, eventStream);
    const { subscription } = subscribe(server.transport, { reconnect: { initialDelayMs: 1000, maxDelayMs: 3000 } });
    const connectionsAfter = async (ms: number) => {
      await jest.advanceTimersByTimeAsync(ms);
      return server.requests.length;
    };
    expect(await connectionsAfter(0)).toBe(1);
    expect(await connectionsAfter(999)).toBe(1);
    expect(await connectionsAfter(1)).toBe(2);
    expect(await connectionsAfter(1999)).toBe(2);
    expect(await connectionsAfter(1)).toBe(3);
    expect(await connectionsAfter(2999)).toBe(3);
    expect(await connectionsAfter(1)).toBe(4);
    expect(subscription.state).toBe('open');
    subscription.close();
  });

  it('waits for Retry-After when rate limited', async () => {
    const limited = () =>
      new Response('{"statusCode":429,"error":"rate_limited","message":"slow"}', {
        status: 429,
        headers: { 'Retry-After': '10' },
      });
    const server = scriptedServer(limited, eventStream);
    const { subscription, errors } = subscribe(server.transport);
    await flush();
    expect(errors[0].error).toBeInstanceOf(RateLimitedError);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(server.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    subscription.close();
  });

  it('gives up on an unknown stream and says why', async () => {
    const server = scriptedServer(
      () => new Response('{"statusCode":404,"error":"not_found","message":"No stream"}', { status: 404 }),
    );
    const { subscription, errors } = subscribe(server.transport);
    await flush();
    expect(errors).toEqual([{ error: expect.any(NotFoundError), willRetry: false }]);
    expect(subscription.state).toBe('closed');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(1);
  });

  it('treats a connection silent for longer than the idle timeout as dead', async () => {
    const server = scriptedServer(eventStream, eventStream);
    const { subscription } = subscribe(server.transport, { idleTimeoutMs: 45_000 });
    await flush();
    await jest.advanceTimersByTimeAsync(30_000);
    server.streams[0].keepalive();
    await jest.advanceTimersByTimeAsync(44_000);
    expect(server.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(subscription.state).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(server.requests).toHaveLength(2);
    subscription.close();
  });
});
