import http from 'node:http';
import { publishOf, relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

interface SseEvent {
  id: string;
  event: string;
  data: { type: string; status: string | null; destinationId: string | null; reason: string | null };
}

/** A minimal SSE reader over a real socket, as the SDK would connect. */
function openEvents(baseUrl: string, path: string, apiKey: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  let buffer = '';
  let status = 0;
  const req = http.get(`${baseUrl}${path}`, {
    headers: {
      Authorization: `Bearer ${apiKey}`,
      Accept: 'text/event-stream',
      ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
    },
  });
  const ready = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
          );
          if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      });
      resolve();
    });
    req.on('error', reject);
  });
  return {
    events,
    ready,
    status: () => status,
    close: () => req.destroy(),
    async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No matching event; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

describe('GET /api/managed-streams/:id/events (SSE)', () => {
  let t: TestApp;
  let apiKey: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await t.createTenant('Watcher')).apiKey;
    otherKey = (await t.createTenant('Other')).apiKey;
  });
  afterAll(() => t.close());

  it('replays history, then delivers live stream and destination status changes', async () => {
    const started = await sdk(t.app, apiKey).startStream({
      userId: 'sse@example.com',
      restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/sse-key-1' }],
    });
    const { streamId } = started.body;
    const destinationId = started.body.destinations[0].id;
    const sse = openEvents(t.baseUrl, `/api/managed-streams/${streamId}/events`, apiKey);
    await sse.ready;
    expect(sse.status()).toBe(200);
    await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'connecting');
    expect(sse.events.map((e) => e.event)).toEqual(['stream.status', 'destination.added', 'stream.status']);

    expect(publishOf(started.body.ingestUrl).key).not.toBe('');
    await relay(t.app).post('/stream-status', {
      userId: 'sse@example.com',
      streamId,
      status: 'active',
      destinations: [{ id: destinationId, status: 'errored', error: 'Connection refused' }],
    });
    await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'active');
    const destinationEvent = await sse.waitFor((e) => e.event === 'destination.status');
    expect(destinationEvent.data).toMatchObject({ destinationId, status: 'errored', reason: 'Connection refused' });
    const ids = sse.events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    sse.close();

    // A reconnect with Last-Event-ID gets only what came after.
    const lastSeen = sse.events[sse.events.length - 1].id;
    await relay(t.app).post('/hls-ready', { userId: 'sse@example.com', streamId, hlsUrl: started.body.hlsUrl });
    const resumed = openEvents(t.baseUrl, `/api/managed-streams/${streamId}/events`, apiKey, lastSeen);
    const playback = await resumed.waitFor((e) => e.event === 'stream.playback');
    expect(resumed.events).toEqual([playback]);
    resumed.close();
  });

  it("does not show another app's stream or destination events", async () => {
    const started = await sdk(t.app, apiKey).startStream({
      userId: 'shared-sse@example.com',
      restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/first-app-key' }],
    });
    const denied = openEvents(t.baseUrl, `/api/managed-streams/${started.body.streamId}/events`, otherKey);
    await denied.ready;
    expect(denied.status()).toBe(404);
    denied.close();

    await sdk(t.app, otherKey).startStream({ userId: 'shared-sse@example.com' });
    const joined = openEvents(t.baseUrl, `/api/managed-streams/${started.body.streamId}/events`, otherKey);
    await joined.waitFor((e) => e.event === 'stream.app_attached');
    expect(joined.events.some((e) => e.event === 'destination.added')).toBe(false);
    joined.close();
  });
});
