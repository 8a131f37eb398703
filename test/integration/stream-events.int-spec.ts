import { publishOf, relay, sdk } from '../support/api-client';
import { openSse } from '../support/sse-reader';
import { startTestApp, TestApp } from '../support/test-app';

/** The stream's events over a real socket, as the SDK would connect. */
function openEvents(baseUrl: string, path: string, apiKey: string, lastEventId?: string) {
  return openSse(`${baseUrl}${path}`, {
    Authorization: `Bearer ${apiKey}`,
    ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
  });
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
      destinations: [
        {
          id: destinationId,
          status: 'retrying',
          attempts: 2,
          lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
        },
      ],
    });
    await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'active');
    const destinationEvent = await sse.waitFor((e) => e.event === 'destination.status');
    expect(destinationEvent.data).toMatchObject({
      destinationId,
      status: 'retrying',
      reason: 'Connection refused',
      data: {
        attempts: 2,
        lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
      },
    });
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
