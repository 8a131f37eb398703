import { PassThrough } from 'node:stream';
import request from 'supertest';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { adminOverrides, openAdminEvents, signIn } from './admin-client';

const YOUTUBE_KEY = 'yt-secret-key-0001-abcd';
const REPLACED_KEY = 'yt-secret-key-0002-wxyz';
const LIVE_KEY = 'live-added-key-9999-efgh';

describe('admin API', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let appA: { id: string; apiKey: string };
  let appB: { id: string; apiKey: string };
  let logs = '';

  beforeAll(async () => {
    const logDestination = new PassThrough();
    logDestination.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    t = await startTestApp(await adminOverrides({ LOG_LEVEL: 'debug' }), { logDestination });
    admin = await signIn(t.app);
    appA = await t.createTenant('Glasses One');
    appB = await t.createTenant('Glasses Two');
  });
  afterAll(() => t.close());

  it('needs a session for every route, and the CSRF token for changes', async () => {
    const server = t.app.getHttpServer();
    for (const path of [
      '/admin/api/apps',
      '/admin/api/streams',
      '/admin/api/relays',
      '/admin/api/events',
      '/admin/api/destination-presets',
    ]) {
      expect([path, (await request(server).get(path)).status]).toEqual([path, 401]);
    }
    const noCsrf = await request(server).post('/admin/api/streams/ms_x/stop').set('Cookie', admin.cookie);
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf_failed');
  });

  it('lists apps without their keys, and the platform presets', async () => {
    const apps = await admin.get('/admin/api/apps');
    expect(apps.status).toBe(200);
    expect(apps.body.apps).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: appA.id, name: 'Glasses One', webhookUrl: null })]),
    );
    expect(JSON.stringify(apps.body)).not.toContain(appA.apiKey);
    const presets = await admin.get('/admin/api/destination-presets');
    expect(presets.body).toEqual([
      { platform: 'youtube', label: 'YouTube (RTMP)', ingestUrl: 'rtmp://a.rtmp.youtube.com/live2' },
      { platform: 'youtube', label: 'YouTube (RTMPS)', ingestUrl: 'rtmps://a.rtmps.youtube.com:443/live2' },
      { platform: 'twitch', label: 'Twitch', ingestUrl: 'rtmp://live.twitch.tv/app' },
      { platform: 'custom', label: 'Custom RTMP/RTMPS', ingestUrl: null },
    ]);
  });

  describe('saved destinations', () => {
    const base = () => `/admin/api/apps/${appA.id}/destinations`;

    it('creates, lists, renames, replaces the key, disables and deletes; keys only ever masked', async () => {
      const created = await admin.post(base(), {
        userId: 'ops@example.com',
        name: 'My YouTube',
        platform: 'youtube',
        ingestUrl: 'rtmp://a.rtmp.youtube.com/live2',
        streamKey: YOUTUBE_KEY,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        appId: appA.id,
        userId: 'ops@example.com',
        name: 'My YouTube',
        platform: 'youtube',
        ingestUrl: 'rtmp://a.rtmp.youtube.com/live2',
        url: 'rtmp://a.rtmp.youtube.com/live2',
        streamKeyMasked: '****abcd',
        enabled: true,
      });
      const id = created.body.id as string;

      const listed = await admin.get(`${base()}?userId=ops@example.com`);
      expect(listed.body.map((d: { id: string }) => d.id)).toEqual([id]);
      // The same store the SDK's API reads.
      const viaSdk = await sdk(t.app, appA.apiKey).get('/api/destinations?userId=ops@example.com');
      expect(viaSdk.body.destinations[0]).toMatchObject({ id, streamKeyMasked: '****abcd' });
      expect((await admin.get(`/admin/api/apps/${appB.id}/destinations`)).body).toEqual([]);

      const replaced = await admin.patch(`${base()}/${id}`, { name: 'Main channel', streamKey: REPLACED_KEY });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ name: 'Main channel', streamKeyMasked: '****wxyz' });
      const disabled = await admin.patch(`${base()}/${id}`, { enabled: false });
      expect(disabled.body).toMatchObject({ enabled: false, streamKeyMasked: '****wxyz' });

      for (const body of [created.body, listed.body, replaced.body, disabled.body]) {
        expect(JSON.stringify(body)).not.toMatch(/yt-secret-key/);
      }
      expect((await admin.delete(`${base()}/${id}`)).status).toBe(204);
      expect((await admin.get(base())).body).toEqual([]);
      expect((await admin.delete(`${base()}/${id}`)).status).toBe(404);
    });

    it('explains bad URLs and keys, and unknown apps', async () => {
      const badUrl = await admin.post(base(), { userId: 'u', name: 'X', ingestUrl: 'http://example.com/live', streamKey: 'k' });
      expect(badUrl.status).toBe(422);
      expect(badUrl.body).toMatchObject({ code: 'invalid_url', issues: [{ path: 'url' }] });
      expect(badUrl.body.message).toContain('only rtmp:// and rtmps:// URLs are accepted');
      const badKey = await admin.post(base(), {
        userId: 'u',
        name: 'Y',
        ingestUrl: 'rtmp://live.twitch.tv/app',
        streamKey: 'has a space',
      });
      expect(badKey.status).toBe(422);
      expect(badKey.body.issues[0]).toMatchObject({
        path: 'streamKey',
        message: 'must not contain spaces or control characters',
      });
      const noKey = await admin.post(base(), { userId: 'u', name: 'Z', ingestUrl: 'rtmp://live.twitch.tv/app' });
      expect(noKey.status).toBe(422);
      expect(noKey.body.message).toContain('has no stream key');
      const missingName = await admin.post(base(), { userId: 'u', ingestUrl: 'rtmp://live.twitch.tv/app', streamKey: 'k' });
      expect(missingName.status).toBe(400);
      expect(missingName.body.issues[0].path).toBe('name');
      const unknownApp = await admin.get('/admin/api/apps/app_nope/destinations');
      expect(unknownApp.status).toBe(404);
      expect(unknownApp.body).toMatchObject({ code: 'not_found', message: 'No app "app_nope"' });
    });

    it('refuses to test a connection into our own network (destination host policy)', async () => {
      const res = await admin.post('/admin/api/destinations/test-connection', { ingestUrl: 'rtmp://127.0.0.1:1935/live' });
      expect(res.status).toBe(422);
      expect(res.body.message).toContain('loopback, private or link-local');
      const neither = await admin.post('/admin/api/destinations/test-connection', {});
      expect(neither.status).toBe(400);
    });
  });

  describe('live streams', () => {
    async function liveStream(userId: string) {
      const started = await sdk(t.app, appA.apiKey).startStream({
        userId,
        restreamDestinations: [{ url: `rtmp://a.rtmp.youtube.com/live2/${YOUTUBE_KEY}`, name: 'YouTube' }],
      });
      expect(started.status).toBe(201);
      await relay(t.app).post('/stream-status', {
        userId,
        streamId: started.body.streamId,
        status: 'active',
        bitrate: 2500,
        fps: 30,
        droppedFrames: 4,
        viewers: 2,
        destinations: [
          {
            id: started.body.destinations[0].id,
            status: 'retrying',
            attempts: 2,
            lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
          },
        ],
      });
      return { streamId: started.body.streamId as string, destinationId: started.body.destinations[0].id as string };
    }

    it('lists live streams with their stats and every destination (keys masked, no publish key)', async () => {
      const { streamId, destinationId } = await liveStream('watch@example.com');
      const res = await admin.get('/admin/api/streams');
      expect(res.status).toBe(200);
      const stream = res.body.find((s: { id: string }) => s.id === streamId);
      expect(stream).toMatchObject({
        appIds: [appA.id],
        userId: 'watch@example.com',
        status: 'active',
        strategy: 'relay',
        relayId: expect.any(String),
        cloudflareLiveInputId: null,
        ingestBaseUrl: expect.stringMatching(/^rtmp:\/\/relay\.test:1935\//),
        uptimeSeconds: expect.any(Number),
        bitrateKbps: 2500,
        fps: 30,
        droppedFrames: 4,
        viewers: 2,
        statsUpdatedAt: expect.any(String),
        destinations: [
          {
            id: destinationId,
            appId: appA.id,
            name: 'YouTube',
            url: 'rtmp://a.rtmp.youtube.com/live2',
            streamKeyMasked: '****abcd',
            enabled: true,
            status: 'retrying',
            lastError: { code: 'connection_refused', message: 'Connection refused', at: '2026-12-02T10:00:00.000Z' },
            attempts: 2,
            nextRetryAt: null,
            sent: null,
            savedDestinationId: null,
          },
        ],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/key=|yt-secret-key/);
    });

    it("shows a stream's history, newest last, page by page", async () => {
      const { streamId } = await liveStream('history@example.com');
      const full = await admin.get(`/admin/api/streams/${streamId}`);
      expect(full.status).toBe(200);
      const types = full.body.events.map((e: { type: string }) => e.type);
      expect(types.slice(0, 3)).toEqual(['stream.status', 'destination.added', 'stream.status']);
      expect(full.body.eventsHasMore).toBe(false);
      const ids = full.body.events.map((e: { id: string }) => Number(e.id));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);

      const latest = await admin.get(`/admin/api/streams/${streamId}?eventsLimit=2`);
      expect(latest.body.events.map((e: { id: string }) => e.id)).toEqual(
        full.body.events.slice(-2).map((e: { id: string }) => e.id),
      );
      expect(latest.body.eventsHasMore).toBe(true);
      const older = await admin.get(`/admin/api/streams/${streamId}?eventsLimit=2&beforeEventId=${latest.body.events[0].id}`);
      expect(older.body.events.map((e: { id: string }) => e.id)).toEqual(
        full.body.events.slice(-4, -2).map((e: { id: string }) => e.id),
      );
      expect((await admin.get('/admin/api/streams/ms_missing')).status).toBe(404);
    });

    it('retries a destination now for its app: the relay learns it from the plan; unknown or stopped answers 404 or 409', async () => {
      const { streamId, destinationId } = await liveStream('retry@example.com');
      const path = `/admin/api/streams/${streamId}/destinations/${destinationId}/retry`;
      const noCsrf = await request(t.app.getHttpServer()).post(path).set('Cookie', admin.cookie).send({});
      expect(noCsrf.status).toBe(403);
      const retried = await admin.post(path, {});
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: destinationId, appId: appA.id, nextRetryAt: null });
      const plan = await relay(t.app).get(`/restream-destinations/${encodeURIComponent('retry@example.com')}/${streamId}`);
      expect(plan.body.destinations).toEqual([expect.objectContaining({ id: destinationId, retry: 1 })]);
      const unknown = await admin.post(`/admin/api/streams/${streamId}/destinations/dst_nope/retry`, {});
      expect(unknown.status).toBe(404);
      await admin.post(`/admin/api/streams/${streamId}/stop`, {});
      const stopped = await admin.post(path, {});
      expect(stopped.status).toBe(409);
    });

    it('disables, enables, adds and removes destinations on a live stream, seen live over SSE', async () => {
      const { streamId, destinationId } = await liveStream('toggle@example.com');
      const sse = openAdminEvents(t.baseUrl, admin.cookie);
      await sse.ready;
      expect(sse.status()).toBe(200);

      const disabled = await admin.patch(`/admin/api/streams/${streamId}/destinations/${destinationId}`, { enabled: false });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: destinationId, appId: appA.id, enabled: false, status: 'stopped' });
      const event = await sse.waitFor((e) => e.event === 'destination.status' && e.data.destinationId === destinationId);
      expect(event.data).toMatchObject({ streamId, status: 'stopped', reason: 'disabled' });
      const enabled = await admin.patch(`/admin/api/streams/${streamId}/destinations/${destinationId}`, { enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, status: 'idle' });

      const added = await admin.post(`/admin/api/streams/${streamId}/destinations`, {
        appId: appA.id,
        name: 'Backup',
        url: 'rtmp://live.twitch.tv/app',
        streamKey: LIVE_KEY,
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ appId: appA.id, name: 'Backup', streamKeyMasked: '****efgh', status: 'idle' });
      await sse.waitFor((e) => e.event === 'destination.added' && e.data.destinationId === added.body.id);
      // The relay gets the new destination with its key (the only place a key leaves the service).
      const forRelay = await relay(t.app).get(`/restream-destinations/${encodeURIComponent('toggle@example.com')}/${streamId}`);
      expect(forRelay.body.destinations.map((d: { url: string }) => d.url)).toContain(`rtmp://live.twitch.tv/app/${LIVE_KEY}`);

      const saved = await admin.post(`/admin/api/apps/${appA.id}/destinations`, {
        userId: 'toggle@example.com',
        name: 'Saved Twitch',
        ingestUrl: 'rtmp://live.twitch.tv/app',
        streamKey: 'saved-twitch-key-0042',
      });
      const fromSaved = await admin.post(`/admin/api/streams/${streamId}/destinations`, {
        appId: appA.id,
        savedDestinationId: saved.body.id,
      });
      expect(fromSaved.status).toBe(201);
      expect(fromSaved.body).toMatchObject({
        name: 'Saved Twitch',
        savedDestinationId: saved.body.id,
        streamKeyMasked: '****0042',
      });

      const notAttached = await admin.post(`/admin/api/streams/${streamId}/destinations`, {
        appId: appB.id,
        url: 'rtmp://live.twitch.tv/app/other-key',
      });
      expect(notAttached.status).toBe(409);
      expect(notAttached.body.code).toBe('not_attached');

      expect((await admin.delete(`/admin/api/streams/${streamId}/destinations/${added.body.id}`)).status).toBe(204);
      await sse.waitFor((e) => e.event === 'destination.removed' && e.data.destinationId === added.body.id);
      const after = await admin.get(`/admin/api/streams/${streamId}`);
      expect(after.body.destinations.map((d: { id: string }) => d.id)).toEqual([destinationId, fromSaved.body.id]);
      expect((await admin.delete(`/admin/api/streams/${streamId}/destinations/dst_nope`)).status).toBe(404);
      expect(sse.raw()).not.toContain(LIVE_KEY);
      sse.close();
    });

    it('stops a stream; the feed shows it and the live list drops it once stopped', async () => {
      const { streamId } = await liveStream('stop@example.com');
      const sse = openAdminEvents(t.baseUrl, admin.cookie);
      await sse.ready;
      // Stats are not events: the feed forwards the changes it sees every 2 s.
      await relay(t.app).post('/stream-status', {
        userId: 'stop@example.com',
        streamId,
        status: 'active',
        bitrate: 3300,
        fps: 25,
      });
      const stats = await sse.waitFor((e) => e.event === 'stream.stats' && JSON.stringify(e.data).includes('"bitrateKbps":3300'));
      expect(stats.id).toBeUndefined();
      expect((stats.data as unknown as { streams: { id: string }[] }).streams).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: streamId, bitrateKbps: 3300, fps: 25, droppedFrames: 4 })]),
      );
      const stopped = await admin.post(`/admin/api/streams/${streamId}/stop`);
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({
        id: streamId,
        status: 'stopping',
        statusReason: 'stopped from the admin dashboard by admin',
      });
      await sse.waitFor((e) => e.event === 'stream.status' && e.data.streamId === streamId && e.data.status === 'stopping');
      await relay(t.app).post('/stream-status', { userId: 'stop@example.com', streamId, status: 'stopped' });
      await sse.waitFor((e) => e.event === 'stream.status' && e.data.streamId === streamId && e.data.status === 'stopped');
      sse.close();
      const live = await admin.get('/admin/api/streams?status=live');
      expect(live.body.some((s: { id: string }) => s.id === streamId)).toBe(false);
      const all = await admin.get('/admin/api/streams?status=all');
      expect(all.body.find((s: { id: string }) => s.id === streamId)).toMatchObject({
        status: 'stopped',
        endedAt: expect.any(String),
      });
    });
  });

  it('shows the relay fleet with load, capacity, live streams and heartbeat age', async () => {
    await relay(t.app).post('/relays', {
      id: 'relay-admin-1',
      rtmpUrl: 'rtmp://relay-admin-1.example.net:1935',
      hlsBaseUrl: 'http://relay-admin-1.example.net:8888',
      region: 'eu',
      capacity: 20,
    });
    await relay(t.app).post('/relays/relay-admin-1/heartbeat', { load: 3, activeStreams: [] });
    const res = await admin.get('/admin/api/relays');
    expect(res.status).toBe(200);
    expect(res.body.find((r: { id: string }) => r.id === 'relay-admin-1')).toEqual({
      id: 'relay-admin-1',
      rtmpUrl: 'rtmp://relay-admin-1.example.net:1935',
      hlsBaseUrl: 'http://relay-admin-1.example.net:8888',
      region: 'eu',
      state: 'active',
      capacity: 20,
      load: 3,
      liveStreams: 0,
      lastHeartbeatAt: expect.any(String),
      heartbeatAgeSeconds: expect.any(Number),
    });
    const staticRelay = res.body.find((r: { rtmpUrl: string }) => r.rtmpUrl === 'rtmp://relay.test:1935');
    expect(staticRelay).toMatchObject({ capacity: 10, heartbeatAgeSeconds: null });
    expect(staticRelay.liveStreams).toBeGreaterThanOrEqual(1);
  });

  it('never wrote a stream key, a session cookie or a CSRF token to the log (debug level), but who changed what', () => {
    expect(logs).toContain('request completed');
    expect(logs).toMatch(/"admin":"admin".*"fields":\["name","streamKey"\].*"msg":"Admin changed a saved destination"/);
    expect(logs).toMatch(/"admin":"admin".*"msg":"Admin stopped a stream"/);
    for (const secret of [
      YOUTUBE_KEY,
      REPLACED_KEY,
      LIVE_KEY,
      'saved-twitch-key-0042',
      admin.cookie.split('=')[1],
      admin.csrfToken,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
