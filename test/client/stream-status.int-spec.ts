import { ConnectionState, RestreamClient, StreamEvent } from '@glasses-restream/client';
import { relay } from '../support/api-client';
import { startStallableProxy, StallableProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects a subscription's events and connection states. */
function watch(client: RestreamClient, streamId: string, reconnect = { initialDelayMs: 1500, maxDelayMs: 1500 }) {
  const events: StreamEvent[] = [];
  const states: ConnectionState[] = [];
  const subscription = client.onStreamStatus(streamId, (event) => events.push(event), {
    reconnect,
    onStateChange: (state) => states.push(state),
  });
  const has = (predicate: (event: StreamEvent) => boolean) => events.find(predicate);
  return { events, states, subscription, has };
}

describe('RestreamClient.onStreamStatus against the real API', () => {
  let t: TestApp;
  let proxy: StallableProxy;
  let apiKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await t.createTenant('Watcher')).apiKey;
    proxy = await startStallableProxy(Number(new URL(t.baseUrl).port));
  });
  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  it('receives status changes live, and after a cut connection receives what happened meanwhile exactly once', async () => {
    const direct = new RestreamClient({ baseUrl: t.baseUrl, apiKey });
    const throughProxy = new RestreamClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, apiKey });
    const userId = 'live-status@example.com';
    const stream = await direct.startManagedStream({
      userId,
      restreamDestinations: [
        { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'status-yt-1' },
        { name: 'Twitch', url: 'rtmp://live.twitch.tv/app', streamKey: 'status-tw-2' },
      ],
    });
    const [youtube, twitch] = stream.destinations;
    const watcher = watch(throughProxy, stream.streamId);

    // History first, then live.
    await waitFor(() => watcher.has((e) => e.type === 'stream.status' && e.status === 'connecting'), 'the history');
    expect(watcher.states).toEqual(['open']);
    await relay(t.app).post('/stream-status', {
      userId,
      streamId: stream.streamId,
      status: 'active',
      destinations: [{ id: youtube.id, status: 'broadcasting' }],
    });
    await waitFor(() => watcher.has((e) => e.type === 'stream.status' && e.status === 'active'), 'live: active');
    await waitFor(
      () => watcher.has((e) => e.type === 'destination.status' && e.destinationId === youtube.id),
      'live: YouTube broadcasting',
    );

    // Cut the connection; things happen while the client waits to reconnect.
    const seenBeforeCut = watcher.events.length;
    proxy.cut();
    await waitFor(() => (watcher.states.includes('reconnecting') ? true : undefined), 'the client to notice the cut');
    await relay(t.app).post('/stream-status', {
      userId,
      streamId: stream.streamId,
      status: 'reconnecting',
      destinations: [
        {
          id: twitch.id,
          status: 'retrying',
          attempts: 2,
          lastError: { code: 'connection_refused', message: 'Connection refused', at: new Date().toISOString() },
        },
      ],
    });
    await direct.setDestinationEnabled(stream.streamId, youtube.id, false);
    expect(watcher.events).toHaveLength(seenBeforeCut);

    await waitFor(
      () => watcher.has((e) => e.type === 'destination.status' && e.destinationId === twitch.id),
      'the missed events',
      15_000,
    );
    await relay(t.app).post('/stream-status', { userId, streamId: stream.streamId, status: 'active' });
    await waitFor(
      () => watcher.events.filter((e) => e.type === 'stream.status' && e.status === 'active').length === 2 || undefined,
      'live again',
    );
    expect(watcher.states).toEqual(['open', 'reconnecting', 'open']);
    watcher.subscription.close();

    // Exactly once: what the client delivered is the stream's full history, in order, no repeats.
    const replay = watch(direct, stream.streamId);
    await waitFor(() => (replay.events.length >= watcher.events.length ? true : undefined), 'a full replay');
    replay.subscription.close();
    expect(watcher.events.map((e) => e.id)).toEqual(replay.events.map((e) => e.id));
    expect(new Set(watcher.events.map((e) => e.id)).size).toBe(watcher.events.length);
    expect(watcher.events.slice(seenBeforeCut).map((e) => [e.type, e.status])).toEqual(
      expect.arrayContaining([
        ['stream.status', 'reconnecting'],
        ['destination.status', 'retrying'],
      ]),
    );
    expect(watcher.subscription.lastEventId).toBe(watcher.events[watcher.events.length - 1].id);
  }, 30_000);

  it('stops with NotFoundError for a stream the app cannot see', async () => {
    const client = new RestreamClient({ baseUrl: t.baseUrl, apiKey });
    const errors: { name: string; willRetry: boolean }[] = [];
    const subscription = client.onStreamStatus('ms_unknown', () => undefined, {
      onError: (error, willRetry) => errors.push({ name: error.name, willRetry }),
    });
    await waitFor(() => (errors.length > 0 ? true : undefined), 'the error');
    expect(errors).toEqual([{ name: 'NotFoundError', willRetry: false }]);
    expect(subscription.state).toBe('closed');
  });
});
