import request from 'supertest';
import { adminStreamHistorySchema } from '../../src/admin/streams/admin-stream-history.schemas';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, prismaOf } from '../jobs/job-test-kit';
import { adminOverrides, signIn } from './admin-client';

const SLOT_MS = 5000;
const ingest = (grade: 'good' | 'degraded' | 'poor', fpsMean: number, bitrateKbps: number) => ({
  grade,
  reason: grade === 'good' ? 'steady' : `frame rate down to ${fpsMean} fps`,
  windowSeconds: 10,
  fpsMean,
  fpsMin: fpsMean - 2,
  bitrateKbps,
  keyframeIntervalSeconds: 2,
  timestampJumps: 0,
  gaps: 0,
  longestGapMs: 0,
  avDriftMs: null,
});

/** Waits for the start of a 5-second sampling slot, so the next reports land in one slot. */
async function startOfSlot(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SLOT_MS - (Date.now() % SLOT_MS) + 50));
}

/** The stream page's history: real relay reports through the relay endpoints, the real maintenance scan. */
describe('admin stream history API', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let app: ReturnType<typeof sdk>;

  beforeAll(async () => {
    t = await startTestApp(await adminOverrides({ STREAM_MAINTENANCE_INTERVAL_MS: '300', STREAM_HISTORY_RETENTION_HOURS: '24' }));
    admin = await signIn(t.app);
    app = sdk(t.app, (await t.createTenant('History tests')).apiKey);
  });
  afterAll(() => t.close());

  async function newStream(userId: string): Promise<string> {
    const res = await app.startStream({ userId });
    expect(res.status).toBe(201);
    return res.body.streamId as string;
  }
  const report = (userId: string, streamId: string, body: object) =>
    relay(t.app).post('/stream-status', { userId, streamId, status: 'active', ...body });
  const history = async (streamId: string, query = '') => {
    const res = await admin.get(`/admin/api/streams/${streamId}/history${query}`);
    expect(res.status).toBe(200);
    return adminStreamHistorySchema.strict().parse(res.body);
  };

  it('needs a session', async () => {
    const res = await request(t.app.getHttpServer()).get('/admin/api/streams/ms_x/history');
    expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
  });

  it('keeps one sample per 5 seconds of reports, with output and uplink figures', async () => {
    const userId = 'charted@example.com';
    const streamId = await newStream(userId);
    expect((await history(streamId)).samples).toEqual([]);

    await startOfSlot();
    const first = await report(userId, streamId, {
      fps: 30,
      bitrate: 2500,
      droppedFrames: 0,
      ingest: ingest('good', 29.9, 3000),
    });
    expect(first.status).toBe(200);
    // Same slot: the relay reports every 2 s, the chart keeps the first of each 5 s.
    await report(userId, streamId, { fps: 12, bitrate: 800, droppedFrames: 9, ingest: ingest('poor', 8, 400) });
    let view = await history(streamId);
    expect(view.samples).toEqual([
      {
        at: expect.any(String),
        outputFps: 30,
        outputBitrateKbps: 2500,
        droppedFrames: 0,
        ingestFps: 29.9,
        ingestFpsMin: 27.9,
        ingestBitrateKbps: 3000,
        ingestGrade: 'good',
      },
    ]);

    await startOfSlot();
    await report(userId, streamId, { fps: 25, bitrate: 1900, droppedFrames: 4, ingest: ingest('degraded', 18, 1200) });
    // The slate while the glasses are away: output figures, no uplink.
    await startOfSlot();
    await report(userId, streamId, { status: 'reconnecting', fps: 30, bitrate: 600 });
    view = await history(streamId);
    expect(view.samples.map((s) => [s.outputFps, s.ingestGrade, s.ingestFps])).toEqual([
      [30, 'good', 29.9],
      [25, 'degraded', 18],
      [30, null, null],
    ]);
    expect(view.intervalSeconds).toBe(5);
    const times = view.samples.map((s) => Date.parse(s.at));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(4000);
    expect(Date.parse(view.to) - Date.parse(view.from)).toBe(30 * 60_000);
    expect(Date.parse(view.to)).toBeGreaterThanOrEqual(times[2]);

    const lastMinute = await history(streamId, '?minutes=1');
    expect(Date.parse(lastMinute.to) - Date.parse(lastMinute.from)).toBe(60_000);
    expect(lastMinute.samples).toHaveLength(3);
  }, 30_000);

  it('refuses a bad window with 400 and an unknown stream with 404', async () => {
    const streamId = await newStream('bad-window@example.com');
    for (const minutes of ['0', '31', '1.5', 'abc', '-5']) {
      const res = await admin.get(`/admin/api/streams/${streamId}/history?minutes=${minutes}`);
      expect([minutes, res.status]).toEqual([minutes, 400]);
      expect(res.body.issues[0].path).toBe('minutes');
    }
    const missing = await admin.get('/admin/api/streams/ms_nope/history');
    expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
  });

  it('prunes: 30 minutes of a live stream, a stopped one after the retention; keeps a recent stop up to its end', async () => {
    const prisma = prismaOf(t.app);
    const live = { userId: 'pruned-live@example.com', streamId: await newStream('pruned-live@example.com') };
    const recent = { userId: 'stopped-recently@example.com', streamId: await newStream('stopped-recently@example.com') };
    const old = { userId: 'stopped-long-ago@example.com', streamId: await newStream('stopped-long-ago@example.com') };
    for (const s of [live, recent, old]) {
      await report(s.userId, s.streamId, { fps: 30, bitrate: 2000, ingest: ingest('good', 30, 2100) });
    }
    await startOfSlot();
    for (const s of [live, recent, old]) {
      await report(s.userId, s.streamId, { fps: 29, bitrate: 2100, ingest: ingest('good', 29, 2200) });
    }
    for (const s of [recent, old]) {
      expect((await app.delete(`/api/managed-streams/${s.streamId}`)).status).toBe(200);
      await relay(t.app).post('/stream-status', { userId: s.userId, streamId: s.streamId, status: 'stopped' });
    }
    // No report once stopped.
    await startOfSlot();
    await report(recent.userId, recent.streamId, { fps: 30, bitrate: 2000 });
    expect((await history(recent.streamId)).samples).toHaveLength(2);

    // Age what the reports wrote: the live stream's first sample past the window, one stop past the retention.
    const [firstLive] = await prisma.streamSample.findMany({ where: { streamId: live.streamId }, orderBy: { slot: 'asc' } });
    await prisma.streamSample.update({
      where: { streamId_slot: { streamId: live.streamId, slot: firstLive.slot } },
      data: { at: new Date(Date.now() - 31 * 60_000) },
    });
    const longAgo = Date.now() - 25 * 3600_000;
    await prisma.managedStream.update({ where: { id: old.streamId }, data: { endedAt: new Date(longAgo) } });
    await prisma.streamSample.updateMany({ where: { streamId: old.streamId }, data: { at: new Date(longAgo - 60_000) } });

    const count = (streamId: string) => prisma.streamSample.count({ where: { streamId } });
    await eventually('the maintenance scan to prune', async () => (await count(old.streamId)) === 0);
    await eventually('the live stream to lose its old sample', async () => (await count(live.streamId)) === 1);
    expect(await count(recent.streamId)).toBe(2);

    // A stopped stream's chart ends where the stream ended.
    const stopped = await history(recent.streamId);
    const ended = (await admin.get(`/admin/api/streams/${recent.streamId}`)).body.endedAt as string;
    expect(stopped.to).toBe(ended);
    expect(stopped.samples).toHaveLength(2);
  }, 30_000);
});
