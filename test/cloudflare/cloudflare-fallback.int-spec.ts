import type { Redis } from 'ioredis';
import { REDIS } from '../../src/redis/redis.module';
import { StreamEventsRepository } from '../../src/stream-records/stream-events.repository';
import request from 'supertest';
import { relay, sdk } from '../support/api-client';
import { waitFor } from '../support/relay-harness';
import { CLOUDFLARE_WEBHOOK_SECRET, startCloudflareTestEnv, youtube, type CloudflareTestEnv } from './cloudflare-test-env';

interface StreamEvent {
  type: string;
  status: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
}

describe('falling back from Cloudflare (stand-in failing, erroring, silent)', () => {
  let env: CloudflareTestEnv;
  let app: ReturnType<typeof sdk>;

  beforeAll(async () => {
    env = await startCloudflareTestEnv({ CLOUDFLARE_CIRCUIT_FAILURES: '2', CLOUDFLARE_CIRCUIT_OPEN_SECONDS: '60' });
    app = sdk(env.t.app, (await env.t.createTenant('Fallback')).apiKey);
  });
  afterAll(() => env.close());
  afterEach(async () => {
    env.cf.control.clearFailures();
    const redis = env.t.app.get<Redis>(REDIS);
    await redis.del(
      'restream:cloudflare-circuit:failures',
      'restream:cloudflare-circuit:open-until',
      'restream:cloudflare-circuit:reason',
    );
  });

  const inputOf = (streamId: string) =>
    env.cf.control.liveInputs().find((i) => (i.meta as { streamId?: string }).streamId === streamId);

  it('puts the stream on the relay, with the reason, when Cloudflare answers 5xx at provisioning', async () => {
    env.cf.control.injectFailure({ status: 503, times: 1, method: 'POST', pathPattern: '/live_inputs$' });
    const started = await app.startStream({ userId: 'fb-5xx@example.com', restreamDestinations: [youtube('yt-fb-0001')] });
    expect(started.status).toBe(201);
    expect(started.body.strategy).toBe('relay');
    expect(started.body.strategyReason).toMatch(/^cloudflare failed at provisioning \(.*503.*\); fell back to relay$/);
    expect(started.body.ingestUrl).toMatch(/^rtmp:\/\/.*\/live\/.*\?key=pk_/);
    expect(started.body.status).toBe('connecting');
    expect(env.cf.control.liveInputs()).toEqual([]);
  });

  it('cleans up a half-made live input when an output fails with a timeout, and falls back', async () => {
    env.cf.control.injectFailure({ hang: true, times: 1, method: 'POST', pathPattern: '/outputs$' });
    const started = await app.startStream({ userId: 'fb-timeout@example.com', restreamDestinations: [youtube('yt-fb-0002')] });
    expect(started.body.strategy).toBe('relay');
    expect(started.body.strategyReason).toMatch(/create output: (Request timed out|Connection error)/);
    expect(env.cf.control.liveInputs()).toEqual([]);
  });

  it('opens the circuit after repeated failures: the next streams go to the relay without asking Cloudflare', async () => {
    env.cf.control.injectFailure({ status: 500, times: 2, method: 'POST', pathPattern: '/live_inputs$' });
    await app.startStream({ userId: 'fb-c1@example.com' });
    await app.startStream({ userId: 'fb-c2@example.com' });
    const before = env.cf.control.counters().total;
    const third = await app.startStream({ userId: 'fb-c3@example.com' });
    expect(third.body).toMatchObject({ strategy: 'relay' });
    expect(third.body.strategyReason).toMatch(/^auto: Cloudflare is unhealthy/);
    expect(env.cf.control.counters().total).toBe(before);
  });

  it('moves an errored live input to hybrid and tells the app the new ingest URL', async () => {
    const started = (await app.startStream({ userId: 'fb-gop@example.com', restreamDestinations: [youtube('yt-fb-0003')] })).body;
    expect(started.strategy).toBe('cloudflare');
    const input = inputOf(started.streamId)!;
    env.cf.control.setState(input.uid, { state: 'connected' });
    env.cf.control.setState(input.uid, { state: 'errored', errorCode: 'ERR_GOP_OUT_OF_RANGE' });

    const moved = await waitFor('the stream to move to hybrid', async () => {
      const current = (await app.get(`/api/managed-streams/${started.streamId}`)).body;
      return current.strategy === 'hybrid' ? current : null;
    });
    expect(moved.strategyReason).toMatch(/ERR_GOP_OUT_OF_RANGE/);
    expect(moved.ingestUrl).toMatch(/^rtmp:\/\/.*\?key=pk_/);
    const history: StreamEvent[] = await env.t.app.get(StreamEventsRepository).listAfter(started.streamId, 0n);
    const announce = history.find((e) => e.type === 'stream.status' && e.data?.ingestUrl);
    expect(announce?.data).toMatchObject({
      ingestUrl: moved.ingestUrl,
      strategy: 'hybrid',
      cloudflareError: 'ERR_GOP_OUT_OF_RANGE',
    });

    // Cloudflare keeps fanning out: the live input and its output stay, and it is the relay's one destination.
    expect(inputOf(started.streamId)).toBeDefined();
    expect(env.cf.control.outputs(input.uid)).toHaveLength(1);
    const relayView = await relay(env.t.app).get(`/restream-destinations/fb-gop@example.com/${started.streamId}`);
    expect(relayView.body.destinations).toEqual([
      { id: 'cloudflare', name: 'Cloudflare Stream', url: `${input.rtmps.url}${input.rtmps.streamKey}`, retry: 0 },
    ]);
  });

  it("starts the same user's next stream on hybrid straight away", async () => {
    await app.delete(`/api/managed-streams/${(await app.startStream({ userId: 'fb-gop@example.com' })).body.streamId}`);
    const next = (await app.startStream({ userId: 'fb-gop@example.com' })).body;
    expect(next.strategy).toBe('hybrid');
    expect(next.strategyReason).toMatch(/rejected this user's stream recently \(ERR_GOP_OUT_OF_RANGE\)/);
  });

  it('moves a stream that is "connected" but never shows video once the limit passes', async () => {
    await env.close();
    env = await startCloudflareTestEnv({ CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS: '5' });
    app = sdk(env.t.app, (await env.t.createTenant('Silent')).apiKey);
    const started = (await app.startStream({ userId: 'fb-silent@example.com' })).body;
    env.cf.control.setState(inputOf(started.streamId)!.uid, { state: 'connected' });
    const moved = await waitFor(
      'the silent stream to move',
      async () => {
        const current = (await app.get(`/api/managed-streams/${started.streamId}`)).body;
        return current.strategy !== 'cloudflare' ? current : null;
      },
      25_000,
    );
    expect(moved.strategy).toBe('hybrid');
    expect(moved.strategyReason).toMatch(/ERR_NO_VIDEO/);
  }, 40_000);

  it('refuses webhooks without the shared secret', async () => {
    const body = { data: { input_id: 'x', event_type: 'live_input.connected' } };
    const server = env.t.app.getHttpServer();
    expect((await request(server).post('/api/cloudflare/webhooks').send(body)).status).toBe(401);
    expect((await request(server).post('/api/cloudflare/webhooks').set('cf-webhook-auth', 'wrong').send(body)).status).toBe(401);
    const ok = await request(server)
      .post('/api/cloudflare/webhooks')
      .set('cf-webhook-auth', CLOUDFLARE_WEBHOOK_SECRET)
      .send(body);
    expect(ok.body).toEqual({ received: true, outcome: 'unknown_input' });
  });
});
