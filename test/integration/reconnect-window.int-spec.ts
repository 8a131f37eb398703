import {
  DEFAULT_SLATE_TEXT,
  publishAuthResponseSchema,
  relayStreamPlanSchema,
} from '../../relay/protocol/relay-protocol.schemas';
import { publishOf, relay, sdk } from '../support/api-client';
import { openSse } from '../support/sse-reader';
import { startTestApp, TestApp } from '../support/test-app';

/** Reconnect window and slate: what apps set, what the relay is told, and how its reports move the stream. */
describe('reconnect window and slate', () => {
  let t: TestApp;
  let apiKey: string;
  let app: ReturnType<typeof sdk>;
  let other: ReturnType<typeof sdk>;

  // Private destination hosts stay refused here (the test default), so the slate image policy is the real one.
  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await t.createTenant('Slate app')).apiKey;
    app = sdk(t.app, apiKey);
    other = sdk(t.app, (await t.createTenant('Joining app')).apiKey);
  });
  afterAll(() => t.close());

  const report = (userId: string, streamId: string, status: string, reason?: string) =>
    relay(t.app).post('/stream-status', { userId, streamId, status, ...(reason ? { reason } : {}) });
  const view = async (streamId: string) => (await app.get(`/api/managed-streams/${streamId}`)).body;

  describe('POST /api/managed-streams', () => {
    it('defaults to a 60 s window and the default slate caption', async () => {
      const res = await app.startStream({ userId: 'defaults@example.com' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ reconnectWindowSeconds: 60, slate: { text: DEFAULT_SLATE_TEXT, imageUrl: null } });
      expect(await view(res.body.streamId)).toMatchObject({
        reconnectWindowSeconds: 60,
        slate: { text: DEFAULT_SLATE_TEXT, imageUrl: null },
      });
    });

    it('stores the given window and slate; an app that joins does not change them', async () => {
      const slate = { text: 'Back in a moment — stay tuned', imageUrl: 'https://cdn.example.com/slate.png' };
      const res = await app.startStream({ userId: 'custom@example.com', reconnectWindowSeconds: 600, slate });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ reconnectWindowSeconds: 600, slate });

      const joined = await other.startStream({
        userId: 'custom@example.com',
        reconnectWindowSeconds: 0,
        slate: { text: 'Something else' },
      });
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({ streamId: res.body.streamId, joined: true, reconnectWindowSeconds: 600, slate });
      expect(await view(res.body.streamId)).toMatchObject({ reconnectWindowSeconds: 600, slate });
    });

    it('accepts a window of 0 and a slate with only a caption', async () => {
      const res = await app.startStream({ userId: 'zero@example.com', reconnectWindowSeconds: 0, slate: { text: '' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ reconnectWindowSeconds: 0, slate: { text: '', imageUrl: null } });
    });

    it.each([
      [{ reconnectWindowSeconds: 601 }, 'reconnectWindowSeconds', 'must be at most 600 seconds'],
      [{ reconnectWindowSeconds: -1 }, 'reconnectWindowSeconds', 'must be 0 (no slate) or more'],
      [{ reconnectWindowSeconds: 2.5 }, 'reconnectWindowSeconds', 'must be a whole number of seconds'],
      [{ slate: { text: 'x'.repeat(121) } }, 'slate.text', 'must be at most 120 characters'],
      [{ slate: { text: 'line one\nline two' } }, 'slate.text', 'must not contain control characters'],
      [{ slate: { imageUrl: 'ftp://cdn.example.com/slate.png' } }, 'slate.imageUrl', 'must be an http:// or https:// URL'],
      [{ slate: { imageUrl: 'not a url' } }, 'slate.imageUrl', 'must be an http:// or https:// URL'],
    ])('refuses %j with a field-level 400', async (fields, path, message) => {
      const res = await app.startStream({ userId: 'bounds@example.com', ...fields });
      expect(res.status).toBe(400);
      expect(res.body.issues).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) }));
    });

    it.each([
      'http://127.0.0.1/slate.png',
      'https://10.1.2.3/slate.png',
      'http://[::1]:8080/slate.png',
      'http://localhost/s.png',
    ])('refuses a slate image on a private host (%s) with a clear 422', async (imageUrl) => {
      const res = await app.startStream({ userId: 'private-slate@example.com', slate: { imageUrl } });
      expect(res.status).toBe(422);
      expect(res.body.error).toBe('invalid_url');
      expect(res.body.issues[0]).toEqual({
        path: 'slate.imageUrl',
        message: expect.stringMatching(
          /^host ".+" is a loopback, private or link-local address, which slate images may not use$/,
        ),
      });
      // Nothing was created: the user can still start a stream.
      expect((await app.get('/api/managed-streams?userId=private-slate@example.com')).body.streams).toEqual([]);
    });
  });

  describe('relay endpoints', () => {
    it("publish-auth answers the stream's plan in the protocol's shape; restream-destinations the same plan", async () => {
      const started = await app.startStream({
        userId: 'plan@example.com',
        quality: '1080p',
        reconnectWindowSeconds: 90,
        slate: { text: 'Be right back' },
        restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/plan-key-1' }],
      });
      const auth = await relay(t.app).post('/publish-auth', publishOf(started.body.ingestUrl));
      expect(auth.status).toBe(200);
      const answer = publishAuthResponseSchema.parse(auth.body);
      expect(answer).toEqual(auth.body);
      expect(answer).toEqual({
        allowed: true,
        streamId: started.body.streamId,
        userId: 'plan@example.com',
        plan: {
          streamId: started.body.streamId,
          userId: 'plan@example.com',
          quality: '1080p',
          reconnectWindowSeconds: 90,
          record: false,
          slate: { text: 'Be right back', imageUrl: null },
          destinationsVersion: expect.any(Number),
          destinations: [
            {
              id: started.body.destinations[0].id,
              name: 'YouTube',
              url: 'rtmp://a.rtmp.youtube.com/live2/plan-key-1',
              retry: 0,
            },
          ],
        },
      });

      const fetched = await relay(t.app).get(`/restream-destinations/plan@example.com/${started.body.streamId}`);
      expect(fetched.status).toBe(200);
      expect(relayStreamPlanSchema.parse(fetched.body)).toEqual(answer.allowed && answer.plan);

      const refused = await relay(t.app).post('/publish-auth', { path: publishOf(started.body.ingestUrl).path, key: 'wrong' });
      expect(refused.status).toBe(403);
      expect(publishAuthResponseSchema.parse(refused.body)).toEqual({ allowed: false, reason: 'wrong or missing key' });
    });

    it('lets the glasses publish again with the same key while the stream is reconnecting, not once it stopped', async () => {
      const userId = 'comeback@example.com';
      const { streamId, ingestUrl } = (await app.startStream({ userId })).body;
      await relay(t.app).post('/publish-auth', publishOf(ingestUrl));
      await report(userId, streamId, 'active');
      await report(userId, streamId, 'reconnecting', 'the publisher left');
      expect((await view(streamId)).status).toBe('reconnecting');

      const again = await relay(t.app).post('/publish-auth', publishOf(ingestUrl));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ allowed: true, streamId, plan: { reconnectWindowSeconds: 60 } });

      await app.delete(`/api/managed-streams/${streamId}`);
      await report(userId, streamId, 'stopped');
      const late = await relay(t.app).post('/publish-auth', publishOf(ingestUrl));
      expect(late.status).toBe(403);
      expect(late.body).toEqual({ allowed: false, reason: 'stream is stopped' });
    });
  });

  describe('status reports', () => {
    it('reconnecting → active → reconnecting → stopped with the reason, each as a status event (SSE)', async () => {
      const userId = 'slate-flow@example.com';
      const { streamId } = (await app.startStream({ userId, reconnectWindowSeconds: 30 })).body;
      const sse = openSse(`${t.baseUrl}/api/managed-streams/${streamId}/events`, { Authorization: `Bearer ${apiKey}` });
      await sse.ready;

      await report(userId, streamId, 'active');
      await report(userId, streamId, 'reconnecting', 'the publisher left');
      expect(await view(streamId)).toMatchObject({ status: 'reconnecting', statusReason: 'the publisher left' });
      await report(userId, streamId, 'active');
      expect((await view(streamId)).status).toBe('active');
      await report(userId, streamId, 'reconnecting', 'the publisher left');
      await report(userId, streamId, 'stopped', 'the glasses did not come back within 30 s');
      const ended = await view(streamId);
      expect(ended).toMatchObject({ status: 'stopped', statusReason: 'the glasses did not come back within 30 s' });
      expect(ended.endedAt).not.toBeNull();

      await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'stopped');
      const statuses = sse.events.filter((e) => e.event === 'stream.status').map((e) => [e.data.status, e.data.reason]);
      expect(statuses.slice(-5)).toEqual([
        ['active', 'relay reported active'],
        ['reconnecting', 'the publisher left'],
        ['active', 'relay reported active'],
        ['reconnecting', 'the publisher left'],
        ['stopped', 'the glasses did not come back within 30 s'],
      ]);
      sse.close();
      // The user's live slot is free again.
      expect((await app.startStream({ userId })).body.joined).toBe(false);
    });

    it('without a window, a "stopped" with a reason still means the glasses may come back (as before windows)', async () => {
      const userId = 'no-window@example.com';
      const { streamId, ingestUrl } = (await app.startStream({ userId, reconnectWindowSeconds: 0 })).body;
      await report(userId, streamId, 'active');
      await report(userId, streamId, 'stopped', 'the publisher left');
      expect(await view(streamId)).toMatchObject({ status: 'reconnecting', statusReason: 'the publisher left' });
      expect((await relay(t.app).post('/publish-auth', publishOf(ingestUrl))).status).toBe(200);
      await report(userId, streamId, 'active');
      expect((await view(streamId)).status).toBe('active');
    });

    it('with a window, a "stopped" straight from active (a relay going away, no slate shown) also waits', async () => {
      const userId = 'relay-gone@example.com';
      const { streamId } = (await app.startStream({ userId })).body;
      await report(userId, streamId, 'active');
      await report(userId, streamId, 'stopped', 'relay shutting down');
      expect((await view(streamId)).status).toBe('reconnecting');
    });
  });
});
