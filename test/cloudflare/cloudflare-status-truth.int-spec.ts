import type { Redis } from 'ioredis';
import { CloudflareStatusSweepService, LAST_LISTING_KEY } from '../../src/cloudflare-status/cloudflare-status-sweep.service';
import { REDIS } from '../../src/redis/redis.module';
import { StreamEventsRepository } from '../../src/stream-records/stream-events.repository';
import type { StreamEventMessage } from '../../src/stream-records/stream-events';
import { sdk } from '../support/api-client';
import { startCloudflareTestEnv, twitch, youtube, type CloudflareTestEnv } from './cloudflare-test-env';

interface DestinationView {
  id: string;
  status: string;
  enabled: boolean;
}

/**
 * "Status you can trust" on Cloudflare-carried streams, driven through the stand-in: after one
 * sweep of the status sweeper (run here on demand, its listing due), the API says what is happening.
 */
function harness(env: () => CloudflareTestEnv) {
  const sweepOnce = async () => {
    await env().t.app.get<Redis>(REDIS).del(LAST_LISTING_KEY);
    return env().t.app.get(CloudflareStatusSweepService).tick();
  };
  const inputOf = (streamId: string) =>
    env()
      .cf.control.liveInputs()
      .find((i) => (i.meta as { streamId?: string }).streamId === streamId)!.uid;
  const events = (streamId: string): Promise<StreamEventMessage[]> =>
    env().t.app.get(StreamEventsRepository).listAfter(streamId, 0n);
  return { sweepOnce, inputOf, events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Cloudflare status you can trust: a disconnect is not a rejection (polling alone)', () => {
  let env: CloudflareTestEnv;
  let app: ReturnType<typeof sdk>;
  const { sweepOnce, inputOf, events } = harness(() => env);

  beforeAll(async () => {
    env = await startCloudflareTestEnv({ CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS: '5' }, {}, { webhooks: false });
    app = sdk(env.t.app, (await env.t.createTenant('Truth polling')).apiKey);
  });
  afterAll(() => env.close());

  it('keeps a healthy stream live longer than the no-video limit on Cloudflare when the glasses disconnect', async () => {
    const userId = 'cf-drop@example.com';
    const stream = (await app.startStream({ userId, restreamDestinations: [youtube('yt-drop-0001')] })).body;
    const inputId = inputOf(stream.streamId);
    env.cf.control.setState(inputId, { state: 'connected' });
    env.cf.control.makeLiveVideoAppear(inputId);
    await sweepOnce();
    const live = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    expect(live).toMatchObject({ status: 'active', strategy: 'cloudflare' });
    expect(live.destinations[0].status).toBe('broadcasting');

    // Live (and connected) for longer than the 5 s no-video limit, then an ordinary disconnect.
    await sleep(6_000);
    env.cf.control.setState(inputId, { state: 'disconnected' });
    const summary = await sweepOnce();

    expect(summary.moved).toBe(0);
    const dropped = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    expect(dropped).toMatchObject({
      status: 'reconnecting',
      strategy: 'cloudflare',
      strategyReason: 'auto: Cloudflare is available',
    });
    expect(dropped.destinations[0].status).toBe('idle');
    // Later sweeps agree: still a disconnect, never a move.
    expect((await sweepOnce()).moved).toBe(0);
    expect((await app.get(`/api/managed-streams/${stream.streamId}`)).body.strategy).toBe('cloudflare');
    const history = await events(stream.streamId);
    expect(history.filter((e) => e.type === 'stream.status').map((e) => e.status)).toEqual([
      'initializing',
      'connecting',
      'active',
      'reconnecting',
    ]);

    // The user is not flagged: their next stream starts on Cloudflare again.
    await app.delete(`/api/managed-streams/${stream.streamId}`);
    const next = (await app.startStream({ userId })).body;
    expect(next).toMatchObject({ strategy: 'cloudflare', strategyReason: 'auto: Cloudflare is available' });
    await app.delete(`/api/managed-streams/${next.streamId}`);
  }, 40_000);

  it('still moves a stream connected without video past the limit, measured from its current connection', async () => {
    const stream = (await app.startStream({ userId: 'cf-silent-truth@example.com' })).body;
    const inputId = inputOf(stream.streamId);
    env.cf.control.setState(inputId, { state: 'connected' });
    await sweepOnce();
    expect((await app.get(`/api/managed-streams/${stream.streamId}`)).body).toMatchObject({
      status: 'connecting',
      strategy: 'cloudflare',
    });
    await sleep(5_500);
    await sweepOnce();
    const moved = (await app.get(`/api/managed-streams/${stream.streamId}`)).body;
    expect(moved.strategy).toBe('hybrid');
    expect(moved.strategyReason).toMatch(/ERR_NO_VIDEO \(connected for \d+ s without live video\)/);
  }, 40_000);
});

describe('Cloudflare status you can trust: media, destinations and leaving apps (webhooks and sweeps)', () => {
  let env: CloudflareTestEnv;
  let app: ReturnType<typeof sdk>;
  const { sweepOnce, inputOf, events } = harness(() => env);

  beforeAll(async () => {
    env = await startCloudflareTestEnv();
    app = sdk(env.t.app, (await env.t.createTenant('Truth')).apiKey);
  });
  afterAll(() => env.close());

  const view = async (streamId: string, client = app) => (await client.get(`/api/managed-streams/${streamId}`)).body;
  const statusOf = async (streamId: string, destinationId: string) =>
    ((await view(streamId)).destinations as DestinationView[]).find((d) => d.id === destinationId)?.status;

  it('keeps a stream connected without video waiting, its destinations idle, until the video flows', async () => {
    const stream = (await app.startStream({ userId: 'cf-novideo@example.com', restreamDestinations: [youtube('yt-nov-0001')] }))
      .body;
    const inputId = inputOf(stream.streamId);
    env.cf.control.setState(inputId, { state: 'connected' });
    await sweepOnce();
    const waiting = await view(stream.streamId);
    expect(waiting.status).toBe('connecting');
    expect(waiting.destinations[0].status).toBe('idle');

    env.cf.control.makeLiveVideoAppear(inputId);
    await sweepOnce();
    const live = await view(stream.streamId);
    expect(live.status).toBe('active');
    expect(live.destinations[0].status).toBe('broadcasting');
    expect((await events(stream.streamId)).filter((e) => e.status === 'active')).toHaveLength(1);
  });

  it('has destinations added, disabled and re-enabled on a live stream follow their outputs', async () => {
    const stream = (await app.startStream({ userId: 'cf-follow@example.com', restreamDestinations: [youtube('yt-fol-0001')] }))
      .body;
    const inputId = inputOf(stream.streamId);
    env.cf.control.setState(inputId, { state: 'connected' });
    env.cf.control.makeLiveVideoAppear(inputId);
    await sweepOnce();
    expect((await view(stream.streamId)).status).toBe('active');

    const added = (await app.post(`/api/managed-streams/${stream.streamId}/destinations`, twitch('live_fol_0002'))).body;
    const addedOff = (
      await app.post(`/api/managed-streams/${stream.streamId}/destinations`, {
        url: 'rtmps://ingest.example.com:443/live',
        streamKey: 'off-key-0003',
        enabled: false,
      })
    ).body;
    await sweepOnce();
    expect(await statusOf(stream.streamId, added.id)).toBe('broadcasting');
    expect(await statusOf(stream.streamId, addedOff.id)).toBe('stopped');

    const path = `/api/managed-streams/${stream.streamId}/destinations/${added.id}`;
    expect((await app.patch(path, { enabled: false })).body.status).toBe('stopped');
    await sweepOnce();
    expect(await statusOf(stream.streamId, added.id)).toBe('stopped');

    await app.patch(path, { enabled: true });
    await sweepOnce();
    expect(await statusOf(stream.streamId, added.id)).toBe('broadcasting');

    const changes = (await events(stream.streamId))
      .filter((e) => e.type === 'destination.status' && e.destinationId === added.id)
      .map((e) => e.status);
    expect(changes).toEqual(['broadcasting', 'stopped', 'idle', 'broadcasting']);
  });

  it("has a hybrid stream's destinations follow the media our relay feeds into Cloudflare", async () => {
    const stream = (
      await app.startStream({
        userId: 'cf-hybrid@example.com',
        strategy: 'hybrid',
        restreamDestinations: [youtube('yt-hyb-0001')],
      })
    ).body;
    expect(stream.strategy).toBe('hybrid');
    const inputId = inputOf(stream.streamId);
    // The relay's push reaches the live input: connected first, its live video a moment later.
    env.cf.control.setState(inputId, { state: 'connected' });
    await sweepOnce();
    expect((await view(stream.streamId)).destinations[0].status).toBe('idle');
    env.cf.control.makeLiveVideoAppear(inputId);
    await sweepOnce();
    expect((await view(stream.streamId)).destinations[0].status).toBe('broadcasting');
    env.cf.control.setState(inputId, { state: 'disconnected' });
    await sweepOnce();
    expect((await view(stream.streamId)).destinations[0].status).toBe('idle');
  });

  it("stops a leaving app's destinations with a destination.status event each", async () => {
    const userId = 'cf-leave@example.com';
    const first = (await app.startStream({ userId, restreamDestinations: [youtube('yt-leave-0001')] })).body;
    const other = sdk(env.t.app, (await env.t.createTenant('Leaving app')).apiKey);
    const joined = (await other.startStream({ userId, restreamDestinations: [twitch('live_leave_0002')] })).body;
    const inputId = inputOf(first.streamId);
    env.cf.control.setState(inputId, { state: 'connected' });
    env.cf.control.makeLiveVideoAppear(inputId);
    await sweepOnce();
    const othersDestination = joined.destinations[0].id as string;
    expect((await view(first.streamId, other)).destinations[0].status).toBe('broadcasting');

    expect((await other.delete(`/api/managed-streams/${first.streamId}`)).status).toBe(200);
    expect((await view(first.streamId, other)).destinations[0]).toMatchObject({ status: 'stopped', enabled: false });
    await sweepOnce();
    expect((await view(first.streamId, other)).destinations[0].status).toBe('stopped');
    expect((await view(first.streamId)).destinations[0].status).toBe('broadcasting');

    // The last app leaving stops the stream: its destinations are told too.
    const firstDestination = (await view(first.streamId)).destinations[0].id as string;
    expect((await app.delete(`/api/managed-streams/${first.streamId}`)).body.status).toBe('stopped');
    const stops = (await events(first.streamId)).filter((e) => e.type === 'destination.status' && e.status === 'stopped');
    expect(stops.map((e) => [e.destinationId, e.reason])).toEqual([
      [othersDestination, 'the app left the stream'],
      [firstDestination, 'the app left the stream'],
    ]);
  });
});
