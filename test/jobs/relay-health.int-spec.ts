import { publishOf, relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, prismaOf, statusEvents } from './job-test-kit';

// Jobs run on their own schedules (and one test restarts a worker): more than jest's default 5 s.
jest.setTimeout(40_000);

const relayA = {
  id: 'relay-a',
  rtmpUrl: 'rtmp://relay-a.example.net:1935',
  hlsBaseUrl: 'http://relay-a.example.net:8888',
  capacity: 10,
};
const relayB = {
  id: 'relay-b',
  rtmpUrl: 'rtmp://relay-b.example.net:1935',
  hlsBaseUrl: 'http://relay-b.example.net:8888',
  capacity: 10,
};

describe('relay health job (real Postgres and Redis)', () => {
  let t: TestApp;
  const beating = new Set<string>();
  let heartbeats: NodeJS.Timeout;

  beforeAll(async () => {
    // No static fleet: only registered relays, which must heartbeat to stay in assignment.
    t = await startTestApp({
      RTMP_RELAY_URLS: '',
      RTMP_RELAY_HLS_URLS: '',
      RELAY_HEARTBEAT_STALE_SECONDS: '1',
      RELAY_HEALTH_INTERVAL_MS: '200',
    });
    heartbeats = setInterval(() => {
      // supertest sends a request only once something awaits or ends it.
      for (const id of beating)
        relay(t.app)
          .post(`/relays/${id}/heartbeat`, { load: 0 })
          .end(() => undefined);
    }, 250);
  });
  afterAll(async () => {
    clearInterval(heartbeats);
    await t.close();
  });

  const relayState = async (id: string) => (await prismaOf(t.app).relay.findUniqueOrThrow({ where: { id } })).state;

  it('takes a silent relay offline, marks its streams reconnecting, reassigns on the next start and takes it back when it beats again', async () => {
    const app = sdk(t.app, (await t.createTenant('Relay health')).apiKey);
    expect((await relay(t.app).post('/relays', relayA)).status).toBe(201);
    beating.add(relayA.id);
    const started = await app.startStream({ userId: 'wanderer@example.com' });
    expect(started.status).toBe(201);
    const { streamId } = started.body;
    expect(started.body.ingestUrl).toContain('relay-a.example.net');
    await relay(t.app).post('/stream-status', { userId: 'wanderer@example.com', streamId, status: 'active' });
    const idle = await app.startStream({ userId: 'idle@example.com' });
    await relay(t.app).post('/stream-status', {
      userId: 'idle@example.com',
      streamId: idle.body.streamId,
      status: 'reconnecting',
    });

    // relay-b comes up, relay-a goes silent.
    expect((await relay(t.app).post('/relays', relayB)).status).toBe(201);
    beating.add(relayB.id);
    beating.delete(relayA.id);
    await eventually('relay-a offline', async () => (await relayState(relayA.id)) === 'offline');
    expect(await relayState(relayB.id)).toBe('active');

    const view = await eventually('stream reconnecting', async () => {
      const body = (await app.get(`/api/managed-streams/${streamId}`)).body;
      return body.status === 'reconnecting' && body;
    });
    expect(view.statusReason).toBe('relay relay-a stopped sending heartbeats');
    // One event per stream, even though the scan keeps running.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const reconnecting = (await statusEvents(t.app, streamId)).filter((e) => e.status === 'reconnecting');
    expect(reconnecting).toHaveLength(1);
    // A stream that was already reconnecting is left as it was: no second event.
    expect((await statusEvents(t.app, idle.body.streamId)).filter((e) => e.status === 'reconnecting')).toHaveLength(1);

    // The glasses reconnect: the app starts the stream again and gets it on the healthy relay.
    const again = await app.startStream({ userId: 'wanderer@example.com' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ streamId, joined: true, status: 'reconnecting', hlsReady: false });
    expect(again.body.ingestUrl).toContain('rtmp://relay-b.example.net:1935/live/');
    expect(publishOf(again.body.ingestUrl).key).toBe(publishOf(started.body.ingestUrl).key);
    expect(again.body.hlsUrl).toContain('relay-b.example.net');
    const moved = (await statusEvents(t.app, streamId)).at(-1);
    expect(moved).toMatchObject({ reason: 'relay relay-a is gone; reassigned to relay relay-b' });
    expect(moved?.data).toMatchObject({
      relayId: 'relay-b',
      previousRelayId: 'relay-a',
      ingestUrl: expect.stringContaining('relay-b'),
    });
    // Now on a healthy relay, asking again is the usual conflict.
    expect((await app.startStream({ userId: 'wanderer@example.com' })).status).toBe(409);

    // New streams only go to relay-b; relay-a is back in assignment as soon as it heartbeats.
    expect((await app.startStream({ userId: 'newcomer@example.com' })).body.ingestUrl).toContain('relay-b');
    expect((await relay(t.app).post(`/relays/${relayA.id}/heartbeat`, { load: 0 })).status).toBe(200);
    expect(await relayState(relayA.id)).toBe('active');
  });

  it('moves a stream to the relay its glasses published through', async () => {
    const app = sdk(t.app, (await t.createTenant('Publish elsewhere')).apiKey);
    beating.add(relayA.id);
    beating.add(relayB.id);
    const started = (await app.startStream({ userId: 'roamer@example.com' })).body;
    const other = started.ingestUrl.includes('relay-a') ? relayB : relayA;
    const auth = await relay(t.app).post('/publish-auth', { ...publishOf(started.ingestUrl), relayId: other.id });
    expect(auth.status).toBe(200);
    const view = (await app.get(`/api/managed-streams/${started.streamId}`)).body;
    expect(view.ingestUrl).toContain(other.rtmpUrl);
    expect(view.hlsUrl).toContain(other.hlsBaseUrl);
    expect((await statusEvents(t.app, started.streamId)).at(-1)).toMatchObject({ reason: `published through relay ${other.id}` });
  });

  it('leaves a stream alone once its relay reports it alive after being taken offline (no flapping)', async () => {
    const app = sdk(t.app, (await t.createTenant('No flapping')).apiKey);
    beating.add(relayA.id);
    beating.add(relayB.id);
    const { streamId, ingestUrl } = (await app.startStream({ userId: 'steady@example.com' })).body;
    await relay(t.app).post('/stream-status', { userId: 'steady@example.com', streamId, status: 'active' });
    const carrier = ingestUrl.includes('relay-a') ? relayA : relayB;
    beating.delete(carrier.id);
    await eventually('reconnecting', async () => (await statusEvents(t.app, streamId)).some((e) => e.status === 'reconnecting'));
    // The relay's heartbeats are broken but the stream still flows through it.
    await relay(t.app).post('/stream-status', { userId: 'steady@example.com', streamId, status: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await app.get(`/api/managed-streams/${streamId}`)).body.status).toBe('active');
    expect((await statusEvents(t.app, streamId)).filter((e) => e.status === 'reconnecting')).toHaveLength(1);
  });
});
