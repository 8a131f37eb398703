import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, prismaOf, statusEvents } from './job-test-kit';

// Jobs run on their own schedules (and one test restarts a worker): more than jest's default 5 s.
jest.setTimeout(40_000);

async function streamStatus(t: TestApp, streamId: string) {
  return prismaOf(t.app).managedStream.findUniqueOrThrow({ where: { id: streamId } });
}

describe('duration limit: the delayed job scheduled at activation', () => {
  let t: TestApp;
  // The periodic scan is far away here, so only the exact, delayed job can stop the stream.
  beforeAll(async () => {
    t = await startTestApp({ STREAM_MAINTENANCE_INTERVAL_MS: '600000' });
  });
  afterAll(() => t.close());

  it('stops the stream durationLimit seconds after it became active, once', async () => {
    const app = sdk(t.app, (await t.createTenant('Limited')).apiKey);
    const started = await app.startStream({ userId: 'limited@example.com', durationLimit: 60 });
    const { streamId } = started.body;
    // The API takes at least a minute; the job reads the limit from the row, so a short one is set there.
    await prismaOf(t.app).managedStream.update({ where: { id: streamId }, data: { durationLimit: 1 } });
    await relay(t.app).post('/stream-status', { userId: 'limited@example.com', streamId, status: 'active' });
    const activeAt = Date.now();

    const row = await eventually('duration stop', async () => {
      const current = await streamStatus(t, streamId);
      return current.status !== 'active' && current;
    });
    expect(Date.now() - activeAt).toBeGreaterThanOrEqual(900);
    expect(row).toMatchObject({ status: 'stopping', statusReason: 'duration limit reached' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await statusEvents(t.app, streamId)).filter((e) => e.reason === 'duration limit reached')).toHaveLength(1);
  });
});

describe('maintenance scan and sweeper', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      STREAM_MAINTENANCE_INTERVAL_MS: '200',
      STREAM_PUBLISH_TIMEOUT_SECONDS: '2',
      STREAM_INITIALIZING_TIMEOUT_SECONDS: '1',
      STREAM_RECONNECT_TIMEOUT_SECONDS: '1',
      STREAM_STOP_GRACE_SECONDS: '1',
      DESTINATION_STARTING_TIMEOUT_SECONDS: '1',
      ALLOW_PRIVATE_DESTINATIONS: 'true',
    });
  });
  afterAll(() => t.close());

  it('stops a stream whose glasses never published, and not one that did', async () => {
    const app = sdk(t.app, (await t.createTenant('Never published')).apiKey);
    const silent = (await app.startStream({ userId: 'silent@example.com' })).body;
    const live = (await app.startStream({ userId: 'live@example.com' })).body;
    await relay(t.app).post('/stream-status', { userId: 'live@example.com', streamId: live.streamId, status: 'active' });

    const row = await eventually('publish timeout', async () => {
      const current = await streamStatus(t, silent.streamId);
      return current.status === 'stopped' && current;
    });
    expect(row.statusReason).toBe('the glasses did not publish within 2 s');
    expect((await streamStatus(t, live.streamId)).status).toBe('active');
    expect((await statusEvents(t.app, silent.streamId)).filter((e) => e.status === 'stopped')).toHaveLength(1);
  });

  it('enforces the duration limit from the scan when no delayed job exists', async () => {
    const app = sdk(t.app, (await t.createTenant('Scan limit')).apiKey);
    const { streamId } = (await app.startStream({ userId: 'scan-limit@example.com', durationLimit: 60 })).body;
    await relay(t.app).post('/stream-status', { userId: 'scan-limit@example.com', streamId, status: 'active' });
    // As if the stream had been live for two minutes (its delayed job is still 60 s away).
    await prismaOf(t.app).managedStream.update({ where: { id: streamId }, data: { startedAt: new Date(Date.now() - 120_000) } });
    const row = await eventually('scan stop', async () => {
      const current = await streamStatus(t, streamId);
      return current.status === 'stopping' && current;
    });
    expect(row.statusReason).toBe('duration limit reached');
  });

  it('stops a stream whose glasses did not come back within the reconnect timeout (no reconnect window)', async () => {
    const app = sdk(t.app, (await t.createTenant('Gone glasses')).apiKey);
    const { streamId } = (await app.startStream({ userId: 'gone@example.com', reconnectWindowSeconds: 0 })).body;
    await relay(t.app).post('/stream-status', { userId: 'gone@example.com', streamId, status: 'active' });
    await relay(t.app).post('/stream-status', { userId: 'gone@example.com', streamId, status: 'stopped' });
    expect((await streamStatus(t, streamId)).status).toBe('reconnecting');
    const row = await eventually('reconnect timeout', async () => {
      const current = await streamStatus(t, streamId);
      return current.status !== 'reconnecting' && current;
    });
    expect(row).toMatchObject({ status: 'stopping', statusReason: 'the glasses did not come back within 1 s', liveUserId: null });
  });

  it('leaves a stream on the slate (and its destinations) alone for its reconnect window plus the margin', async () => {
    const app = sdk(t.app, (await t.createTenant('Slate')).apiKey);
    const userId = 'slate@example.com';
    const started = (
      await app.startStream({
        userId,
        reconnectWindowSeconds: 5,
        restreamDestinations: [{ url: 'rtmp://127.0.0.1:1935/live/slate-key-1234' }],
      })
    ).body;
    const { streamId } = started;
    const destinationId = started.destinations[0].id;
    await relay(t.app).post('/stream-status', { userId, streamId, status: 'active' });
    await relay(t.app).post('/stream-status', {
      userId,
      streamId,
      status: 'reconnecting',
      reason: 'the publisher left',
      destinations: [{ id: destinationId, status: 'starting' }],
    });
    // Scans every 200 ms with a 1 s reconnect timeout and a 1 s destination timeout: none may touch it.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await streamStatus(t, streamId)).status).toBe('reconnecting');
    expect((await prismaOf(t.app).streamDestination.findUniqueOrThrow({ where: { id: destinationId } })).status).toBe('starting');

    // As if the slate had been on air for longer than 5 s + the 30 s margin, and the relay had gone quiet.
    const prisma = prismaOf(t.app);
    const latest = await prisma.streamEvent.findFirstOrThrow({
      where: { streamId, type: 'stream.status' },
      orderBy: { id: 'desc' },
    });
    await prisma.streamEvent.update({ where: { id: latest.id }, data: { createdAt: new Date(Date.now() - 36_000) } });
    const row = await eventually('window timeout', async () => {
      const current = await streamStatus(t, streamId);
      return current.status !== 'reconnecting' && current;
    });
    expect(row).toMatchObject({ status: 'stopping', statusReason: 'the glasses did not come back within 35 s' });
  });

  it('repairs a stream stuck initializing (provisioning died) and one stuck stopping (carrier never confirmed)', async () => {
    const tenant = await t.createTenant('Stuck');
    const prisma = prismaOf(t.app);
    const base = { userPathSegment: 'stuck', strategy: 'relay' as const, attachments: { create: { appId: tenant.id } } };
    await prisma.managedStream.create({
      data: {
        ...base,
        id: 'ms_stuck_init',
        userId: 'stuck-init@example.com',
        liveUserId: 'stuck-init@example.com',
        status: 'initializing',
      },
    });
    await prisma.managedStream.create({
      data: {
        ...base,
        id: 'ms_stuck_stop',
        userId: 'stuck-stop@example.com',
        status: 'stopping',
        events: { create: { type: 'stream.status', status: 'stopping', reason: 'stopped by the last app' } },
      },
    });

    const init = await eventually('initializing repaired', async () => {
      const current = await streamStatus(t, 'ms_stuck_init');
      return current.status === 'stopped' && current;
    });
    expect(init).toMatchObject({ statusReason: 'provisioning did not finish within 1 s', liveUserId: null });
    const stop = await eventually('stopping repaired', async () => {
      const current = await streamStatus(t, 'ms_stuck_stop');
      return current.status === 'stopped' && current;
    });
    expect(stop.statusReason).toBe('the carrier did not confirm the stop in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ['ms_stuck_init', 'ms_stuck_stop']) {
      expect((await statusEvents(t.app, id)).filter((e) => e.status === 'stopped')).toHaveLength(1);
    }
    // The user's live slot is free again.
    const app = sdk(t.app, tenant.apiKey);
    expect((await app.startStream({ userId: 'stuck-init@example.com' })).status).toBe(201);
  });

  it('returns a destination stuck starting on a stream that is not active to idle, with an event', async () => {
    const app = sdk(t.app, (await t.createTenant('Stuck destination')).apiKey);
    const started = (
      await app.startStream({
        userId: 'dest@example.com',
        restreamDestinations: [{ url: 'rtmp://127.0.0.1:1935/live/dest-key-1234' }],
      })
    ).body;
    const destinationId = started.destinations[0].id;
    await relay(t.app).post('/stream-status', {
      userId: 'dest@example.com',
      streamId: started.streamId,
      status: 'error',
      destinations: [{ id: destinationId, status: 'starting' }],
    });
    const destination = await eventually('destination repaired', async () => {
      const row = await prismaOf(t.app).streamDestination.findUniqueOrThrow({ where: { id: destinationId } });
      return row.status === 'idle' && row;
    });
    expect(destination.status).toBe('idle');
    const events = await prismaOf(t.app).streamEvent.findMany({
      where: { destinationId, type: 'destination.status' },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.status, e.reason])).toEqual([
      ['starting', null],
      ['idle', 'still starting while the stream is not active (error)'],
    ]);
  });
});
