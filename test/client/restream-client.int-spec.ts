import {
  AlreadyStreamingError,
  InvalidUrlError,
  NotFoundError,
  RateLimitedError,
  RestreamClient,
  RestreamError,
  UnauthorizedError,
} from '@glasses-restream/client';
import { startTestApp, TestApp } from '../support/test-app';

async function caught(promise: Promise<unknown>): Promise<RestreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RestreamError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('RestreamClient against the real API', () => {
  let t: TestApp;
  let client: RestreamClient;

  beforeAll(async () => {
    t = await startTestApp();
    client = new RestreamClient({ baseUrl: t.baseUrl, apiKey: (await t.createTenant('Client app')).apiKey });
  });
  afterAll(() => t.close());

  it('starts a stream with two destinations, changes them live, and stops it', async () => {
    const userId = 'wearer@example.com';
    const started = await client.startManagedStream({
      userId,
      quality: '1080p',
      restreamDestinations: [
        { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'yt-key-1234' },
        { url: 'rtmp://live.twitch.tv/app/live_twitch_5678' },
      ],
    });
    expect(started).toMatchObject({ userId, quality: '1080p', joined: false, strategy: 'relay' });
    expect(started.ingestUrl).toMatch(/^rtmp:\/\//);
    expect(started.destinations.map((d) => [d.name, d.url, d.streamKeyMasked])).toEqual([
      ['YouTube', 'rtmp://a.rtmp.youtube.com/live2', expect.stringMatching(/1234$/)],
      ['Twitch', 'rtmp://live.twitch.tv/app', expect.stringMatching(/5678$/)],
    ]);
    expect(JSON.stringify(started)).not.toContain('yt-key-1234');

    expect(await client.getStream(started.streamId)).toMatchObject({
      streamId: started.streamId,
      destinations: started.destinations,
    });
    expect((await client.listStreams({ userId, status: 'live' })).map((s) => s.streamId)).toEqual([started.streamId]);

    const custom = await client.addDestination(started.streamId, {
      name: 'Own server',
      url: 'rtmps://live.example.com/app',
      streamKey: 'own-key-9999',
    });
    expect(custom).toMatchObject({ name: 'Own server', url: 'rtmps://live.example.com/app', enabled: true });
    expect((await client.setDestinationEnabled(started.streamId, custom.id, false)).enabled).toBe(false);
    expect((await client.getStream(started.streamId)).destinations.find((d) => d.id === custom.id)?.enabled).toBe(false);
    expect((await client.setDestinationEnabled(started.streamId, custom.id, true)).enabled).toBe(true);
    await expect(client.removeDestination(started.streamId, custom.id)).resolves.toBeUndefined();
    expect((await client.getStream(started.streamId)).destinations.map((d) => d.id)).toEqual(
      started.destinations.map((d) => d.id),
    );

    const stopped = await client.stopStream(started.streamId);
    expect(['stopping', 'stopped']).toContain(stopped.status);
    expect(await client.listStreams({ userId, status: 'live' })).toEqual([]);
  }, 30_000);

  it('creates, lists, reads, updates and deletes saved destinations, and starts a stream from one', async () => {
    const userId = 'saver@example.com';
    const saved = await client.createSavedDestination({
      userId,
      name: 'My Twitch',
      url: 'rtmp://live.twitch.tv/app',
      streamKey: 'saved-key-4321',
    });
    expect(saved).toMatchObject({
      userId,
      name: 'My Twitch',
      platform: 'twitch',
      url: 'rtmp://live.twitch.tv/app',
      enabled: true,
    });
    expect(saved.streamKeyMasked).toMatch(/4321$/);
    expect((await client.listSavedDestinations({ userId })).map((d) => d.id)).toEqual([saved.id]);
    expect(await client.getSavedDestination(saved.id)).toEqual(saved);
    const renamed = await client.updateSavedDestination(saved.id, { name: 'Twitch main', streamKey: 'new-key-8765' });
    expect(renamed).toMatchObject({ id: saved.id, name: 'Twitch main' });
    expect(renamed.streamKeyMasked).toMatch(/8765$/);

    const stream = await client.startManagedStream({ userId, savedDestinationIds: [saved.id] });
    expect(stream.destinations).toEqual([expect.objectContaining({ name: 'Twitch main', savedDestinationId: saved.id })]);
    await client.stopStream(stream.streamId);

    await expect(client.deleteSavedDestination(saved.id)).resolves.toBeUndefined();
    expect(await caught(client.getSavedDestination(saved.id))).toBeInstanceOf(NotFoundError);
  });

  it("lists and deletes a stream's recordings, with NotFoundError for unknown ones", async () => {
    const started = await client.startManagedStream({ userId: 'recorder@example.com', record: true });
    expect(started.record).toBe(true);
    expect(await client.listRecordings(started.streamId)).toEqual([]);
    expect(await caught(client.deleteRecording(started.streamId, 'rec_missing'))).toBeInstanceOf(NotFoundError);
    expect(await caught(client.listRecordings('ms_does_not_exist'))).toBeInstanceOf(NotFoundError);
    await client.stopStream(started.streamId);
  });

  it('throws AlreadyStreamingError with the live stream when the app starts the same user twice', async () => {
    const first = await client.startManagedStream({ userId: 'twice@example.com' });
    const error = await caught(client.startManagedStream({ userId: 'twice@example.com' }));
    expect(error).toBeInstanceOf(AlreadyStreamingError);
    expect(error).toMatchObject({ status: 409, code: 'already_streaming' });
    expect((error as AlreadyStreamingError).streamId).toBe(first.streamId);
    await client.stopStream(first.streamId);
  });

  it('throws InvalidUrlError for a destination the API cannot use', async () => {
    const wrongScheme = await caught(
      client.startManagedStream({
        userId: 'bad-url@example.com',
        restreamDestinations: [{ url: 'https://youtube.com/live2/key' }],
      }),
    );
    expect(wrongScheme).toBeInstanceOf(InvalidUrlError);
    expect(wrongScheme).toMatchObject({ status: 422, code: 'invalid_url' });
    expect(wrongScheme.issues).toEqual([{ path: 'restreamDestinations.0.url', message: expect.stringContaining('rtmp://') }]);
    const privateHost = await caught(
      client.createSavedDestination({ userId: 'u', name: 'LAN', url: 'rtmp://10.0.0.8/live/key' }),
    );
    expect(privateHost).toBeInstanceOf(InvalidUrlError);
    expect(await client.listStreams({ userId: 'bad-url@example.com' })).toEqual([]);
  });

  it('throws UnauthorizedError for a wrong API key and NotFoundError for an unknown stream', async () => {
    const stranger = new RestreamClient({ baseUrl: t.baseUrl, apiKey: 'rsk_not-a-real-key' });
    const unauthorized = await caught(stranger.listStreams());
    expect(unauthorized).toBeInstanceOf(UnauthorizedError);
    expect(unauthorized).toMatchObject({ status: 401, message: 'Invalid API key' });

    const missing = await caught(client.getStream('ms_does_not_exist'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.status).toBe(404);
    expect(await caught(client.stopStream('ms_does_not_exist'))).toBeInstanceOf(NotFoundError);
  });
});

describe('RestreamClient over the app rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ APP_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('throws RateLimitedError with Retry-After once an app is over its limit; other apps and health are unaffected', async () => {
    const busyKey = (await t.createTenant('Busy')).apiKey;
    const busy = new RestreamClient({ baseUrl: t.baseUrl, apiKey: busyKey });
    const calm = new RestreamClient({ baseUrl: t.baseUrl, apiKey: (await t.createTenant('Calm')).apiKey });
    // The window is the wall-clock minute: do not start a burst just before it turns.
    const untilNextMinute = 60_000 - (Date.now() % 60_000);
    if (untilNextMinute < 5_000) await new Promise((resolve) => setTimeout(resolve, untilNextMinute + 50));

    for (let i = 0; i < 3; i++) await busy.listStreams();
    const limited = await caught(busy.listStreams());
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = (limited as RateLimitedError).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const refused = await fetch(`${t.baseUrl}/api/managed-streams`, { headers: { Authorization: `Bearer ${busyKey}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ statusCode: 429, error: 'rate_limited', retryAfterSeconds: expect.any(Number) });

    const raw = await fetch(`${t.baseUrl}/api/managed-streams`, {
      headers: { Authorization: `Bearer ${(await t.createTenant('Raw')).apiKey}` },
    });
    expect(raw.headers.get('ratelimit-limit')).toBe('3');
    expect(raw.headers.get('ratelimit-remaining')).toBe('2');

    await expect(calm.listStreams()).resolves.toEqual([]);
    for (let i = 0; i < 5; i++) expect((await fetch(`${t.baseUrl}/ping`)).status).toBe(200);
  });
});
