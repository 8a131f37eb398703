import { sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('saved destinations API', () => {
  let t: TestApp;
  let alpha: ReturnType<typeof sdk>;
  let beta: ReturnType<typeof sdk>;

  beforeAll(async () => {
    t = await startTestApp();
    alpha = sdk(t.app, (await t.createTenant('Alpha')).apiKey);
    beta = sdk(t.app, (await t.createTenant('Beta')).apiKey);
  });
  afterAll(() => t.close());

  it('keeps a YouTube key masked through create, list, get, update and attach', async () => {
    const created = await alpha.post('/api/destinations', {
      userId: 'keeper@example.com',
      name: 'My YouTube',
      url: 'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userId: 'keeper@example.com',
      name: 'My YouTube',
      platform: 'youtube',
      url: 'rtmp://a.rtmp.youtube.com/live2',
      streamKeyMasked: '****mnop',
      enabled: true,
    });
    const id = created.body.id as string;

    const list = await alpha.get('/api/destinations?userId=keeper@example.com');
    expect(list.body.destinations).toEqual([created.body]);
    expect(JSON.stringify(list.body)).not.toContain('abcd-efgh');
    expect((await beta.get('/api/destinations?userId=keeper@example.com')).body.destinations).toEqual([]);
    expect((await beta.get(`/api/destinations/${id}`)).status).toBe(404);

    // A new server without a key keeps the stored key; a new key replaces it.
    const moved = await alpha.patch(`/api/destinations/${id}`, { url: 'rtmps://a.rtmps.youtube.com:443/live2' });
    expect(moved.body).toMatchObject({ url: 'rtmps://a.rtmps.youtube.com:443/live2', streamKeyMasked: '****mnop' });
    const rekeyed = await alpha.patch(`/api/destinations/${id}`, { streamKey: 'new-key-0042' });
    expect(rekeyed.body).toMatchObject({ url: 'rtmps://a.rtmps.youtube.com:443/live2', streamKeyMasked: '****0042' });

    const stream = await alpha.startStream({ userId: 'keeper@example.com', savedDestinationIds: [id] });
    expect(stream.status).toBe(201);
    expect(stream.body.destinations).toEqual([
      expect.objectContaining({ name: 'My YouTube', savedDestinationId: id, streamKeyMasked: '****0042' }),
    ]);
  });

  it('detects Twitch and custom platforms, and refuses bad input with field messages', async () => {
    const twitch = await alpha.post('/api/destinations', {
      userId: 'u2',
      name: 'Twitch',
      url: 'rtmp://live.twitch.tv/app',
      streamKey: 'live_123_abc',
    });
    expect(twitch.body.platform).toBe('twitch');
    const custom = await alpha.post('/api/destinations', {
      userId: 'u2',
      name: 'Mine',
      url: 'rtmps://ingest.example.org/app/k-9999',
    });
    expect(custom.body.platform).toBe('custom');

    const sameName = await alpha.post('/api/destinations', {
      userId: 'u2',
      name: 'Twitch',
      url: 'rtmp://live.twitch.tv/app/other',
    });
    expect(sameName.status).toBe(409);
    const badUrl = await alpha.post('/api/destinations', { userId: 'u2', name: 'Bad', url: 'https://youtube.com' });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.issues[0].path).toBe('url');
    const badPlatform = await alpha.post('/api/destinations', {
      userId: 'u2',
      name: 'X',
      url: 'rtmp://h.example.com/a/b',
      platform: 'vimeo',
    });
    expect(badPlatform.status).toBe(400);
    const empty = await alpha.patch(`/api/destinations/${twitch.body.id}`, {});
    expect(empty.status).toBe(400);
  });

  it('refuses a saved destination of another user or app when starting a stream, writing nothing', async () => {
    const mine = await alpha.post('/api/destinations', {
      userId: 'owner@example.com',
      name: 'YT',
      url: 'rtmp://a.rtmp.youtube.com/live2/owner-key',
    });
    const res = await alpha.startStream({ userId: 'intruder@example.com', savedDestinationIds: [mine.body.id] });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toBe('savedDestinationIds.0');
    const foreign = await beta.startStream({ userId: 'owner@example.com', savedDestinationIds: [mine.body.id] });
    expect(foreign.status).toBe(422);
    expect((await alpha.get('/api/managed-streams?userId=intruder@example.com')).body.streams).toEqual([]);
  });

  it('deletes a saved destination', async () => {
    const created = await alpha.post('/api/destinations', {
      userId: 'del',
      name: 'Gone',
      url: 'rtmp://a.rtmp.youtube.com/live2/gone-key',
    });
    expect((await alpha.delete(`/api/destinations/${created.body.id}`)).status).toBe(204);
    expect((await alpha.get(`/api/destinations/${created.body.id}`)).status).toBe(404);
    expect((await alpha.delete(`/api/destinations/${created.body.id}`)).status).toBe(404);
  });
});
