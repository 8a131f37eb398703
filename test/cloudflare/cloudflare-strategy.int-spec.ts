import { sdk } from '../support/api-client';
import { waitFor } from '../support/relay-harness';
import { startCloudflareTestEnv, twitch, youtube, type CloudflareTestEnv } from './cloudflare-test-env';

describe('cloudflare strategy against the Cloudflare stand-in (real Postgres, Redis, SDK)', () => {
  let env: CloudflareTestEnv;
  let app: ReturnType<typeof sdk>;

  beforeAll(async () => {
    env = await startCloudflareTestEnv();
    app = sdk(env.t.app, (await env.t.createTenant('Cloudflare')).apiKey);
  });
  afterAll(() => env.close());

  const getStream = async (id: string) => (await app.get(`/api/managed-streams/${id}`)).body;

  it('provisions one live input and one output per destination, and gives the glasses its RTMPS URL', async () => {
    const started = await app.startStream({
      userId: 'cf-three@example.com',
      restreamDestinations: [
        youtube('yt-key-1111'),
        twitch('live_tw_2222'),
        { url: 'rtmps://ingest.example.com:443/live/custom-3333' },
      ],
    });
    expect(started.status).toBe(201);
    const stream = started.body;
    expect(stream).toMatchObject({
      strategy: 'cloudflare',
      status: 'connecting',
      strategyReason: 'auto: Cloudflare is available',
    });

    const inputs = env.cf.control.liveInputs();
    const input = inputs.find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId);
    expect(input).toBeDefined();
    expect(input?.meta).toMatchObject({ service: 'glasses-restream', userId: 'cf-three@example.com', streamId: stream.streamId });
    expect(input?.recording).toMatchObject({ mode: 'automatic' });
    expect(stream.ingestUrl).toBe(`${input?.rtmps.url}${input?.rtmps.streamKey}`);

    const outputs = env.cf.control.outputs(input!.uid);
    expect(outputs.map((o) => `${o.url}/${o.streamKey}`).sort()).toEqual([
      'rtmp://a.rtmp.youtube.com/live2/yt-key-1111',
      'rtmp://live.twitch.tv/app/live_tw_2222',
      'rtmps://ingest.example.com:443/live/custom-3333',
    ]);
    // The keys reach Cloudflare, but never our responses.
    expect(JSON.stringify(stream)).not.toContain('yt-key-1111');
    expect(stream.destinations.map((d: { streamKeyMasked: string }) => d.streamKeyMasked)).toEqual([
      '****1111',
      '****2222',
      '****3333',
    ]);
  });

  it('creates, disables, enables and deletes outputs as destinations change during the broadcast', async () => {
    const stream = (await app.startStream({ userId: 'cf-live@example.com', restreamDestinations: [youtube('yt-live-0001')] }))
      .body;
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId)!.uid;
    env.cf.control.setState(inputId, { state: 'connected' });
    env.cf.control.makeLiveVideoAppear(inputId);

    const added = await app.post(`/api/managed-streams/${stream.streamId}/destinations`, twitch('live_add_0002'));
    expect(added.status).toBe(201);
    expect(env.cf.control.outputs(inputId)).toHaveLength(2);
    const twitchOutput = env.cf.control.outputs(inputId).find((o) => o.url === 'rtmp://live.twitch.tv/app')!;

    const disabled = await app.patch(`/api/managed-streams/${stream.streamId}/destinations/${added.body.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(env.cf.control.outputs(inputId).find((o) => o.uid === twitchOutput.uid)?.enabled).toBe(false);
    await app.patch(`/api/managed-streams/${stream.streamId}/destinations/${added.body.id}`, { enabled: true });
    expect(env.cf.control.outputs(inputId).find((o) => o.uid === twitchOutput.uid)?.enabled).toBe(true);

    expect((await app.delete(`/api/managed-streams/${stream.streamId}/destinations/${added.body.id}`)).status).toBe(204);
    expect(env.cf.control.outputs(inputId).map((o) => o.url)).toEqual(['rtmp://a.rtmp.youtube.com/live2']);
  });

  it('finds the playback URLs of the live video and marks the stream and its outputs live', async () => {
    const stream = (await app.startStream({ userId: 'cf-play@example.com', restreamDestinations: [youtube('yt-play-0003')] }))
      .body;
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId)!.uid;
    env.cf.control.setState(inputId, { state: 'connected' });
    const video = env.cf.control.makeLiveVideoAppear(inputId);

    const live = await waitFor('playback URLs', async () => {
      const current = await getStream(stream.streamId);
      return current.hlsUrl && current.status === 'active' ? current : null;
    });
    expect(live.hlsUrl).toBe(video?.playback?.hls);
    expect(live.dashUrl).toBe(video?.playback?.dash);
    expect(live.hlsReady).toBe(true);
    await waitFor('the output to show broadcasting', async () =>
      (await getStream(stream.streamId)).destinations[0].status === 'broadcasting' ? true : null,
    );
  });

  it("deletes a leaving app's outputs while the other app's keep broadcasting", async () => {
    const first = (await app.startStream({ userId: 'cf-two-apps@example.com', restreamDestinations: [youtube('yt-first-0005')] }))
      .body;
    const other = sdk(env.t.app, (await env.t.createTenant('Second app')).apiKey);
    const joined = await other.startStream({
      userId: 'cf-two-apps@example.com',
      restreamDestinations: [twitch('live_second_06')],
    });
    expect(joined.body.joined).toBe(true);
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === first.streamId)!.uid;
    expect(env.cf.control.outputs(inputId)).toHaveLength(2);

    expect((await other.delete(`/api/managed-streams/${first.streamId}`)).status).toBe(200);
    await waitFor("the leaving app's output to go", async () => (env.cf.control.outputs(inputId).length === 1 ? true : null));
    expect(env.cf.control.outputs(inputId).map((o) => o.url)).toEqual(['rtmp://a.rtmp.youtube.com/live2']);
  });

  it('deletes the live input (and with it its outputs) when the stream stops', async () => {
    const stream = (await app.startStream({ userId: 'cf-stop@example.com', restreamDestinations: [youtube('yt-stop-0004')] }))
      .body;
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === stream.streamId)!.uid;
    const stopped = await app.delete(`/api/managed-streams/${stream.streamId}`);
    expect(stopped.body.status).toBe('stopped');
    expect(env.cf.control.liveInputs().some((i) => i.uid === inputId)).toBe(false);
  });

  it('leaves zero live inputs behind once every stream has stopped', async () => {
    const live = (await app.get('/api/managed-streams?status=live')).body.streams as { streamId: string }[];
    for (const stream of live) await app.delete(`/api/managed-streams/${stream.streamId}`);
    expect(env.cf.control.liveInputs()).toEqual([]);
  });

  it('records a destination Cloudflare refuses (the 51st output) on that destination, not the stream', async () => {
    const first = (await app.startStream({ userId: 'cf-many@example.com', restreamDestinations: [youtube('yt-many-0000')] }))
      .body;
    const inputId = env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === first.streamId)!.uid;
    // Fill the input to Cloudflare's limit from other apps' destinations.
    for (let app2 = 0; env.cf.control.outputs(inputId).length < 50; app2++) {
      const other = sdk(env.t.app, (await env.t.createTenant(`Filler ${app2}`)).apiKey);
      const joined = await other.startStream({
        userId: 'cf-many@example.com',
        restreamDestinations: Array.from({ length: Math.min(10, 50 - env.cf.control.outputs(inputId).length) }, (_, i) =>
          youtube(`fill-${app2}-${i}-key`),
        ),
      });
      expect(joined.body.joined).toBe(true);
    }
    const refused = await app.post(`/api/managed-streams/${first.streamId}/destinations`, twitch('live_51st_5151'));
    expect(refused.status).toBe(201);
    expect(refused.body.status).toBe('failed');
    expect(refused.body.lastError).toMatchObject({
      code: 'unknown',
      message: expect.stringMatching(/Cloudflare refused this destination/),
    });
    expect((await getStream(first.streamId)).status).toBe('connecting');
    expect(env.cf.control.outputs(inputId)).toHaveLength(50);
  });
});
