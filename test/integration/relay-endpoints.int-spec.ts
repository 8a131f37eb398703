import request from 'supertest';
import { publishOf, relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('relay-facing API', () => {
  let t: TestApp;
  let app: ReturnType<typeof sdk>;
  let apiKey: string;

  beforeAll(async () => {
    t = await startTestApp({ ALLOW_PRIVATE_DESTINATIONS: 'true' });
    apiKey = (await t.createTenant('Relay tests')).apiKey;
    app = sdk(t.app, apiKey);
  });
  afterAll(() => t.close());

  async function newStream(userId: string, destinations: { url: string }[] = []) {
    const res = await app.startStream({ userId, restreamDestinations: destinations });
    expect(res.status).toBe(201);
    return res.body as { streamId: string; ingestUrl: string; hlsUrl: string };
  }

  it('opens only with a relay token, never with an app key', async () => {
    const server = t.app.getHttpServer();
    expect((await request(server).get('/api/rtmp-relay/relays')).status).toBe(401);
    expect((await request(server).get('/api/rtmp-relay/relays').set('Authorization', `Bearer ${apiKey}`)).status).toBe(401);
    expect((await relay(t.app, 'wrong-token-wrong-token-wrong').get('/relays')).status).toBe(401);
    expect((await relay(t.app).get('/relays')).status).toBe(200);
  });

  it('returns full destination URLs (with keys) for the user and stream, by userId or path segment', async () => {
    const stream = await newStream('relay-user@example.com', [
      { url: 'rtmp://127.0.0.1:1936/youtube/sink-key-1' },
      { url: 'rtmps://live.twitch.tv/app/sink-key-2' },
    ]);
    const byUser = await relay(t.app).get(
      `/restream-destinations/${encodeURIComponent('relay-user@example.com')}/${stream.streamId}`,
    );
    expect(byUser.status).toBe(200);
    expect(byUser.body.destinations.map((d: { url: string }) => d.url)).toEqual([
      'rtmp://127.0.0.1:1936/youtube/sink-key-1',
      'rtmps://live.twitch.tv/app/sink-key-2',
    ]);
    const segment = publishOf(stream.ingestUrl).path.split('/')[1];
    const bySegment = await relay(t.app).get(`/restream-destinations/${segment}/${stream.streamId}`);
    expect(bySegment.body).toEqual(byUser.body);
    expect((await relay(t.app).get(`/restream-destinations/someone-else/${stream.streamId}`)).status).toBe(404);
  });

  describe('publish-auth', () => {
    it('allows the right key and refuses wrong, missing or foreign keys', async () => {
      const stream = await newStream('publisher@example.com');
      const other = await newStream('other-publisher@example.com');
      const { path, key } = publishOf(stream.ingestUrl);
      const allowed = await relay(t.app).post('/publish-auth', { path, key });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({
        allowed: true,
        streamId: stream.streamId,
        userId: 'publisher@example.com',
        plan: { streamId: stream.streamId, userId: 'publisher@example.com', destinations: [] },
      });

      expect((await relay(t.app).post('/publish-auth', { path, key: `${key}x` })).status).toBe(403);
      expect((await relay(t.app).post('/publish-auth', { path })).status).toBe(403);
      expect((await relay(t.app).post('/publish-auth', { path, key: publishOf(other.ingestUrl).key })).status).toBe(403);
      expect((await relay(t.app).post('/publish-auth', { path: 'live/unknown/ms_nope', key })).status).toBe(403);
      expect((await relay(t.app).post('/publish-auth', { key })).status).toBe(400);
    });

    it('refuses a stopped stream', async () => {
      const stream = await newStream('stopped-publisher@example.com');
      await app.delete(`/api/managed-streams/${stream.streamId}`);
      const res = await relay(t.app).post('/publish-auth', publishOf(stream.ingestUrl));
      expect(res.status).toBe(403);
      expect(res.body.reason).toBe('stream is stopped');
    });
  });

  it('records hls-ready and status reports, with stats and destination states', async () => {
    const stream = await newStream('reporter@example.com', [{ url: 'rtmp://127.0.0.1:1936/youtube/k-1' }]);
    const [destination] = (await app.get(`/api/managed-streams/${stream.streamId}`)).body.destinations;
    const userId = 'reporter@example.com';

    const ready = await relay(t.app).post('/hls-ready', { userId, streamId: stream.streamId, hlsUrl: stream.hlsUrl });
    expect(ready.status).toBe(200);
    expect((await relay(t.app).post('/hls-ready', { userId, streamId: stream.streamId, hlsUrl: 'ftp://x' })).status).toBe(400);

    const report = await relay(t.app).post('/stream-status', {
      userId,
      streamId: stream.streamId,
      status: 'active',
      bitrate: 2500,
      fps: 30,
      droppedFrames: 3,
      viewers: 2,
      destinations: [
        {
          id: destination.id,
          status: 'retrying',
          attempts: 2,
          lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
        },
      ],
    });
    expect(report.status).toBe(200);
    let view = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    expect(view).toMatchObject({
      status: 'active',
      hlsReady: true,
      stats: { bitrateKbps: 2500, fps: 30, droppedFrames: 3, viewers: 2 },
    });
    expect(view.startedAt).not.toBeNull();
    expect(view.destinations[0]).toMatchObject({
      status: 'retrying',
      attempts: 2,
      lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
    });

    await relay(t.app).post('/stream-status', {
      userId,
      streamId: stream.streamId,
      status: 'active',
      destinations: [{ id: destination.id, status: 'starting', attempts: 1 }],
    });
    await relay(t.app).post('/stream-status', {
      userId,
      streamId: stream.streamId,
      status: 'active',
      destinations: [{ id: destination.id, status: 'broadcasting', attempts: 0, sentBitrateKbps: 2480.4, sentFrames: 900 }],
    });
    view = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    // Attempts count since it last broadcast; the last error stays for the record.
    expect(view.destinations[0]).toMatchObject({
      status: 'broadcasting',
      attempts: 0,
      nextRetryAt: null,
      sent: { bitrateKbps: 2480, frames: 900 },
      lastError: { code: 'connection_refused' },
    });

    // The publisher left while the stream is wanted: the glasses may come back.
    await relay(t.app).post('/stream-status', { userId, streamId: stream.streamId, status: 'stopped' });
    expect((await app.get(`/api/managed-streams/${stream.streamId}`)).body.status).toBe('reconnecting');

    const bad = await relay(t.app).post('/stream-status', { userId, streamId: stream.streamId, status: 'exploded' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('status');
  });

  it('confirms a stop: an active stream stops only once the relay reports it', async () => {
    const stream = await newStream('stopper@example.com');
    const userId = 'stopper@example.com';
    await relay(t.app).post('/stream-status', { userId, streamId: stream.streamId, status: 'active' });
    const leaving = await app.delete(`/api/managed-streams/${stream.streamId}`);
    expect(leaving.body.status).toBe('stopping');
    await relay(t.app).post('/stream-status', { userId, streamId: stream.streamId, status: 'stopped' });
    const view = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    expect(view.status).toBe('stopped');
    expect(view.endedAt).not.toBeNull();
  });

  describe('relay registration and heartbeats', () => {
    it('registers a relay, assigns new streams to live relays only, and tells the relay what to stop', async () => {
      const registered = await relay(t.app).post('/relays', {
        id: 'relay-eu-1',
        rtmpUrl: 'rtmp://relay-eu-1.example.net:1935',
        hlsBaseUrl: 'http://relay-eu-1.example.net:8888',
        region: 'eu',
        capacity: 50,
      });
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ id: 'relay-eu-1', state: 'active', capacity: 50 });
      expect(
        (await relay(t.app).post('/relays', { id: 'bad id!', rtmpUrl: 'http://x', hlsBaseUrl: 'x', capacity: 0 })).status,
      ).toBe(400);

      // With 50 free slots against 10 on the static relay, most users land on the registered one.
      const hosts = new Set<string>();
      for (let i = 0; i < 12; i++) hosts.add(new URL((await newStream(`spread-${i}@example.com`)).hlsUrl).host);
      expect(hosts).toContain('relay-eu-1.example.net:8888');

      const stream = await newStream('heartbeat-user@example.com');
      await relay(t.app).post('/stream-status', {
        userId: 'heartbeat-user@example.com',
        streamId: stream.streamId,
        status: 'active',
      });
      await app.delete(`/api/managed-streams/${stream.streamId}`);
      const beat = await relay(t.app).post('/relays/relay-eu-1/heartbeat', {
        load: 1,
        activeStreams: [stream.streamId, 'ms_unknown'],
      });
      expect(beat.status).toBe(200);
      expect(beat.body.streams).toEqual([
        {
          streamId: stream.streamId,
          userId: 'heartbeat-user@example.com',
          desired: 'stop',
          destinationsVersion: expect.any(Number),
        },
      ]);
      expect((await relay(t.app).post('/relays/relay-nope/heartbeat', { load: 0 })).status).toBe(404);
    });
  });
});
