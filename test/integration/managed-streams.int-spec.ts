import request from 'supertest';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

const YT_KEY = 'yt-secret-key-1234';
const TWITCH_KEY = 'live_twitch_secret_9876';

describe('managed streams API', () => {
  let t: TestApp;
  let alpha: ReturnType<typeof sdk>;
  let beta: ReturnType<typeof sdk>;

  beforeAll(async () => {
    t = await startTestApp();
    alpha = sdk(t.app, (await t.createTenant('Alpha')).apiKey);
    beta = sdk(t.app, (await t.createTenant('Beta')).apiKey);
  });
  afterAll(() => t.close());

  describe('POST /api/managed-streams', () => {
    it('creates a relay stream with destinations and returns the ingest and playback URLs', async () => {
      const res = await alpha.startStream({
        userId: 'alice@example.com',
        quality: '1080p',
        durationLimit: 3600,
        restreamDestinations: [
          { url: `rtmp://a.rtmp.youtube.com/live2/${YT_KEY}` },
          { url: 'rtmps://live.twitch.tv/app', streamKey: TWITCH_KEY, name: 'My Twitch' },
        ],
      });
      expect(res.status).toBe(201);
      const { streamId } = res.body;
      expect(streamId).toMatch(/^ms_[\w-]{22}$/);
      expect(res.body).toMatchObject({
        userId: 'alice@example.com',
        strategy: 'relay',
        status: 'connecting',
        quality: '1080p',
        durationLimit: 3600,
        joined: false,
        apps: 1,
        hlsReady: false,
      });
      expect(res.body.ingestUrl).toMatch(
        new RegExp(`^rtmp://relay\\.test:1935/live/u[a-z2-7]+/${streamId}\\?key=pk_[\\w-]{43}$`),
      );
      expect(res.body.hlsUrl).toMatch(new RegExp(`^http://relay\\.test:8888/hls/u[a-z2-7]+/${streamId}/index\\.m3u8$`));
      expect(res.body.destinations).toEqual([
        expect.objectContaining({
          name: 'YouTube',
          url: 'rtmp://a.rtmp.youtube.com/live2',
          streamKeyMasked: '****1234',
          status: 'idle',
          enabled: true,
        }),
        expect.objectContaining({
          name: 'My Twitch',
          url: 'rtmps://live.twitch.tv/app',
          streamKeyMasked: '****9876',
          status: 'idle',
        }),
      ]);
      const body = JSON.stringify(res.body);
      expect(body).not.toContain(YT_KEY);
      expect(body).not.toContain(TWITCH_KEY);

      const fetched = await alpha.get(`/api/managed-streams/${streamId}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body.ingestUrl).toBe(res.body.ingestUrl);
      expect(fetched.body.destinations).toHaveLength(2);
    });

    it('gives two users different, unguessable streams and path segments', async () => {
      const first = await alpha.startStream({ userId: 'a/b' });
      const second = await alpha.startStream({ userId: 'a_b' });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      const pathOf = (url: string) => new URL(url.replace('rtmp:', 'http:')).pathname.split('/')[2];
      expect(pathOf(first.body.ingestUrl)).not.toBe(pathOf(second.body.ingestUrl));
      expect(pathOf(first.body.ingestUrl)).toMatch(/^u[a-z2-7]+$/);
    });

    it.each([
      [{}, 'userId'],
      [{ userId: '' }, 'userId'],
      [{ userId: 'x', strategy: 'carrier-pigeon' }, 'strategy'],
      [{ userId: 'x', durationLimit: -5 }, 'durationLimit'],
      [
        {
          userId: 'x',
          restreamDestinations: Array.from({ length: 11 }, (_, i) => ({ url: `rtmp://h${i}.example.com/app/k${i}` })),
        },
        'restreamDestinations',
      ],
      [{ userId: 'x', restreamDestinations: [{ streamKey: 'k' }] }, 'restreamDestinations.0.url'],
    ])('rejects %j with a field-level 400', async (body, field) => {
      const res = await alpha.startStream(body);
      expect(res.status).toBe(400);
      expect(res.body.issues.map((issue: { path: string }) => issue.path)).toContain(field);
      expect(res.body.message).toContain(field);
    });

    it.each([
      ['http://example.com/live/key', 'only rtmp:// and rtmps://'],
      ['rtmp://example.com/onlyapp', 'has no stream key'],
      ['not a url', 'not a valid URL'],
      ['rtmp://user:pw@example.com/app/key', 'credentials'],
      ['rtmp://127.0.0.1/app/key', 'loopback, private or link-local'],
      ['rtmp://10.1.2.3/app/key', 'loopback, private or link-local'],
      ['rtmp://169.254.169.254/app/key', 'loopback, private or link-local'],
      ['rtmp://[::1]/app/key', 'loopback, private or link-local'],
      ['rtmp://localhost/app/key', 'loopback, private or link-local'],
    ])('rejects the destination %s with a clear 422', async (url, message) => {
      const res = await alpha.startStream({ userId: `bad-${url}`, restreamDestinations: [{ url }] });
      expect(res.status).toBe(422);
      expect(res.body.issues[0]).toEqual({ path: 'restreamDestinations.0.url', message: expect.stringContaining(message) });
      const list = await alpha.get(`/api/managed-streams?userId=${encodeURIComponent(`bad-${url}`)}`);
      expect(list.body.streams).toHaveLength(0);
    });

    it('rejects a destination given twice', async () => {
      const res = await alpha.startStream({
        userId: 'dup-user',
        restreamDestinations: [
          { url: 'rtmp://a.rtmp.youtube.com/live2/samekey' },
          { url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'samekey' },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.body.issues[0].path).toBe('restreamDestinations.1.url');
      expect((await alpha.get('/api/managed-streams?userId=dup-user')).body.streams).toHaveLength(0);
    });

    it('answers 401 without or with a wrong API key, and never accepts the relay token', async () => {
      const server = t.app.getHttpServer();
      expect((await request(server).post('/api/managed-streams').send({ userId: 'x' })).status).toBe(401);
      const wrong = await request(server).get('/api/managed-streams').set('x-api-key', 'rsk_not-a-real-key');
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('Invalid API key');
      const relayToken = await request(server)
        .get('/api/managed-streams')
        .set('x-relay-token', 'relay-token-for-tests-0123456789');
      expect(relayToken.status).toBe(401);
    });

    it('answers 400 to malformed JSON and 413 to an oversize body, and keeps serving', async () => {
      const server = t.app.getHttpServer();
      const malformed = await request(server)
        .post('/api/managed-streams')
        .set('x-api-key', 'rsk_whatever')
        .set('Content-Type', 'application/json')
        .send('{"userId": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/Malformed JSON/);
      const huge = await alpha.startStream({ userId: 'big', padding: 'x'.repeat(200_000) });
      expect(huge.status).toBe(413);
      expect(huge.body.message).toBe('Request body is too large');
      expect((await request(server).get('/ping')).status).toBe(200);
    });
  });

  describe('one glasses camera, one stream', () => {
    it('lets a second app join the live stream and stops it when the last app leaves', async () => {
      const started = await alpha.startStream({
        userId: 'shared@example.com',
        restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/alpha-key-0001' }],
      });
      expect(started.status).toBe(201);

      const joined = await beta.startStream({
        userId: 'shared@example.com',
        strategy: 'relay',
        restreamDestinations: [{ url: 'rtmps://live.twitch.tv/app/beta-key-0002' }],
      });
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({
        streamId: started.body.streamId,
        ingestUrl: started.body.ingestUrl,
        hlsUrl: started.body.hlsUrl,
        joined: true,
        apps: 2,
      });
      expect(joined.body.destinations.map((d: { name: string }) => d.name)).toEqual(['Twitch']);

      const again = await alpha.startStream({ userId: 'shared@example.com' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'already_streaming', streamId: started.body.streamId });

      const relayView = await relay(t.app).get(`/restream-destinations/shared@example.com/${started.body.streamId}`);
      expect(relayView.body.destinations.map((d: { url: string }) => d.url).sort()).toEqual([
        'rtmp://a.rtmp.youtube.com/live2/alpha-key-0001',
        'rtmps://live.twitch.tv/app/beta-key-0002',
      ]);

      const alphaLeft = await alpha.delete(`/api/managed-streams/${started.body.streamId}`);
      expect(alphaLeft.status).toBe(200);
      expect(alphaLeft.body).toMatchObject({ status: 'connecting', apps: 1 });
      const afterAlpha = await relay(t.app).get(`/restream-destinations/shared@example.com/${started.body.streamId}`);
      expect(afterAlpha.body.destinations.map((d: { url: string }) => d.url)).toEqual([
        'rtmps://live.twitch.tv/app/beta-key-0002',
      ]);

      const betaLeft = await beta.delete(`/api/managed-streams/${started.body.streamId}`);
      expect(betaLeft.body).toMatchObject({ status: 'stopped', apps: 0 });
      expect(betaLeft.body.endedAt).not.toBeNull();

      const fresh = await alpha.startStream({ userId: 'shared@example.com' });
      expect(fresh.status).toBe(201);
      expect(fresh.body.streamId).not.toBe(started.body.streamId);
    });

    it('makes concurrent requests for one user end up on one stream', async () => {
      const results = await Promise.all([
        alpha.startStream({ userId: 'race@example.com' }),
        beta.startStream({ userId: 'race@example.com' }),
      ]);
      expect(results.map((r) => r.status)).toEqual([201, 201]);
      expect(results[0].body.streamId).toBe(results[1].body.streamId);
      expect(results.map((r) => r.body.joined).sort()).toEqual([false, true]);
    });

    it("hides another app's streams (404) and destinations", async () => {
      const own = await alpha.startStream({ userId: 'private@example.com' });
      expect((await beta.get(`/api/managed-streams/${own.body.streamId}`)).status).toBe(404);
      expect((await beta.delete(`/api/managed-streams/${own.body.streamId}`)).status).toBe(404);
      expect(
        (await beta.post(`/api/managed-streams/${own.body.streamId}/destinations`, { url: 'rtmp://x.example.com/a/b' })).status,
      ).toBe(404);
      expect((await beta.get('/api/managed-streams?userId=private@example.com')).body.streams).toHaveLength(0);
      expect((await alpha.get('/api/managed-streams/ms_doesnotexist')).status).toBe(404);
    });
  });

  describe('live destination changes', () => {
    it('adds, disables, re-enables and removes a destination, and the relay sees each change', async () => {
      const stream = await alpha.startStream({ userId: 'live-changes@example.com' });
      const id = stream.body.streamId;
      const relayView = async () =>
        (await relay(t.app).get(`/restream-destinations/live-changes@example.com/${id}`)).body as {
          destinationsVersion: number;
          destinations: { id: string; url: string }[];
        };
      const v0 = (await relayView()).destinationsVersion;

      const added = await alpha.post(`/api/managed-streams/${id}/destinations`, {
        url: 'rtmp://a.rtmp.youtube.com/live2',
        streamKey: 'added-live-5555',
        name: 'Main channel',
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: 'Main channel', streamKeyMasked: '****5555', status: 'idle', enabled: true });
      const v1 = await relayView();
      expect(v1.destinations).toEqual([
        { id: added.body.id, name: 'Main channel', url: 'rtmp://a.rtmp.youtube.com/live2/added-live-5555', retry: 0 },
      ]);
      expect(v1.destinationsVersion).toBeGreaterThan(v0);

      const dup = await alpha.post(`/api/managed-streams/${id}/destinations`, {
        url: 'rtmp://a.rtmp.youtube.com/live2/added-live-5555',
      });
      expect(dup.status).toBe(409);

      const disabled = await alpha.patch(`/api/managed-streams/${id}/destinations/${added.body.id}`, { enabled: false });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ enabled: false, status: 'stopped' });
      expect((await relayView()).destinations).toHaveLength(0);

      const bad = await alpha.patch(`/api/managed-streams/${id}/destinations/${added.body.id}`, { enabled: 'yes' });
      expect(bad.status).toBe(400);

      const enabled = await alpha.patch(`/api/managed-streams/${id}/destinations/${added.body.id}`, { enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, status: 'idle' });
      expect((await relayView()).destinations).toHaveLength(1);

      expect((await alpha.delete(`/api/managed-streams/${id}/destinations/${added.body.id}`)).status).toBe(204);
      expect((await relayView()).destinations).toHaveLength(0);
      expect((await alpha.delete(`/api/managed-streams/${id}/destinations/${added.body.id}`)).status).toBe(404);
    });

    it('refuses changes to a stream that has ended', async () => {
      const stream = await alpha.startStream({ userId: 'ended@example.com' });
      await alpha.delete(`/api/managed-streams/${stream.body.streamId}`);
      const res = await alpha.post(`/api/managed-streams/${stream.body.streamId}/destinations`, {
        url: 'rtmp://a.rtmp.youtube.com/live2/late-key',
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('stream_ended');
    });

    it('caps an app at 10 destinations per stream', async () => {
      const stream = await alpha.startStream({
        userId: 'many@example.com',
        restreamDestinations: Array.from({ length: 10 }, (_, i) => ({ url: `rtmp://a.rtmp.youtube.com/live2/key-${i}` })),
      });
      expect(stream.status).toBe(201);
      const eleventh = await alpha.post(`/api/managed-streams/${stream.body.streamId}/destinations`, {
        url: 'rtmp://a.rtmp.youtube.com/live2/key-10',
      });
      expect(eleventh.status).toBe(422);
    });
  });

  describe('listing', () => {
    it("lists an app's streams for a user, newest first, and filters live ones", async () => {
      const first = await alpha.startStream({ userId: 'lister@example.com' });
      await alpha.delete(`/api/managed-streams/${first.body.streamId}`);
      const second = await alpha.startStream({ userId: 'lister@example.com' });
      const all = await alpha.get('/api/managed-streams?userId=lister@example.com');
      expect(all.body.streams.map((s: { streamId: string }) => s.streamId)).toEqual([second.body.streamId, first.body.streamId]);
      const live = await alpha.get('/api/managed-streams?userId=lister@example.com&status=live');
      expect(live.body.streams.map((s: { streamId: string }) => s.streamId)).toEqual([second.body.streamId]);
      expect((await alpha.get('/api/managed-streams?limit=0')).status).toBe(400);
    });
  });
});
