import request from 'supertest';
import type { z } from 'zod';
import { adminAppListSchema } from '../../src/admin/apps/admin-apps.schemas';
import { adminSessionResponseSchema } from '../../src/admin/auth/admin-auth.schemas';
import { adminDestinationResponseSchema, destinationPresetSchema } from '../../src/admin/destinations/admin-destinations.schemas';
import { adminRelayViewSchema } from '../../src/admin/relays/admin-relays.schemas';
import {
  adminDestinationViewSchema,
  adminLiveStatsSchema,
  adminStreamDetailSchema,
  adminStreamViewSchema,
} from '../../src/admin/streams/admin-stream-view.schemas';
import { adminStreamHistorySchema } from '../../src/admin/streams/admin-stream-history.schemas';
import { streamEventSchema } from '../../src/stream-records/stream-events';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { adminOverrides, openAdminEvents, signIn } from './admin-client';

/**
 * Every admin response against the zod schema the dashboard's types and the OpenAPI document come
 * from. Parsing drops keys a schema does not know, so "parsed equals sent" also fails on a field the
 * server sends without a schema.
 */
function expectShape(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? 'matches' : parsed.error.issues).toBe('matches');
  expect(parsed.data).toEqual(body);
}

const INGEST = {
  grade: 'degraded',
  reason: 'gaps in the pictures',
  windowSeconds: 10,
  fpsMean: 27.5,
  fpsMin: 21,
  bitrateKbps: 2400,
  keyframeIntervalSeconds: 2,
  timestampJumps: 0,
  gaps: 2,
  longestGapMs: 640,
  avDriftMs: null,
};

describe('admin API responses match their schemas', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let app: { id: string; apiKey: string };
  let streamId: string;
  const checkedGets = new Set<string>();

  async function get(route: string, path: string, schema: z.ZodType) {
    const res = await admin.get(path);
    expect([path, res.status]).toEqual([path, 200]);
    expectShape(schema, res.body);
    checkedGets.add(route);
    return res.body as unknown;
  }

  beforeAll(async () => {
    t = await startTestApp(await adminOverrides());
    admin = await signIn(t.app);
    app = await t.createTenant('Schema App');
  });
  afterAll(() => t.close());

  it('saved destinations, and a live stream with stats, uplink health and destinations of every kind', async () => {
    const saved = await admin.post(`/admin/api/apps/${app.id}/destinations`, {
      userId: 'shape@example.com',
      name: 'Saved Twitch',
      ingestUrl: 'rtmp://live.twitch.tv/app',
      streamKey: 'saved-twitch-key-0042',
    });
    expect(saved.status).toBe(201);
    expectShape(adminDestinationResponseSchema, saved.body);
    const renamed = await admin.patch(`/admin/api/apps/${app.id}/destinations/${saved.body.id}`, { name: 'Twitch' });
    expectShape(adminDestinationResponseSchema, renamed.body);

    const started = await sdk(t.app, app.apiKey).startStream({
      userId: 'shape@example.com',
      restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/yt-secret-key-0001-abcd', name: 'YouTube' }],
    });
    expect(started.status).toBe(201);
    streamId = started.body.streamId as string;
    const fromSaved = await admin.post(`/admin/api/streams/${streamId}/destinations`, {
      appId: app.id,
      savedDestinationId: saved.body.id,
    });
    expect(fromSaved.status).toBe(201);
    expectShape(adminDestinationViewSchema, fromSaved.body);
    expect(fromSaved.body.savedDestinationId).toBe(saved.body.id);
    const report = await relay(t.app).post('/stream-status', {
      userId: 'shape@example.com',
      streamId,
      status: 'active',
      bitrate: 2500,
      fps: 30,
      droppedFrames: 4,
      viewers: 2,
      outputMode: 'encode',
      outputModeReason: 'the glasses send B-frames',
      ingest: INGEST,
      destinations: [
        {
          id: started.body.destinations[0].id,
          status: 'retrying',
          attempts: 3,
          nextRetryAt: new Date(Date.now() + 4_000).toISOString(),
          lastError: { code: 'connection_refused', message: 'Connection refused', at: new Date().toISOString() },
        },
      ],
    });
    expect(report.status).toBeLessThan(300);
    const disabled = await admin.patch(`/admin/api/streams/${streamId}/destinations/${fromSaved.body.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expectShape(adminDestinationViewSchema, disabled.body);

    await relay(t.app).post('/relays', {
      id: 'relay-shape-1',
      rtmpUrl: 'rtmp://relay-shape-1.example.net:1935',
      hlsBaseUrl: 'http://relay-shape-1.example.net:8888',
      region: 'eu',
      capacity: 20,
    });
    await relay(t.app).post('/relays/relay-shape-1/heartbeat', { load: 3, activeStreams: [] });
  });

  it('every GET endpoint', async () => {
    await get('/admin/api/session', '/admin/api/session', adminSessionResponseSchema);
    await get('/admin/api/apps', '/admin/api/apps', adminAppListSchema);
    await get('/admin/api/destination-presets', '/admin/api/destination-presets', destinationPresetSchema.array());
    const saved = await get(
      '/admin/api/apps/{appId}/destinations',
      `/admin/api/apps/${app.id}/destinations?userId=shape@example.com`,
      adminDestinationResponseSchema.array(),
    );
    expect(saved).toHaveLength(1);

    const live = (await get('/admin/api/streams', '/admin/api/streams', adminStreamViewSchema.array())) as { id: string }[];
    const stream = live.find((s) => s.id === streamId);
    // The fields that are null until a relay reports were filled, so their schemas were really used.
    expect(stream).toMatchObject({ ingest: INGEST, outputMode: 'encode', bitrateKbps: 2500, startedAt: expect.any(String) });
    await get('/admin/api/streams', '/admin/api/streams?status=all&limit=5', adminStreamViewSchema.array());
    const detail = (await get('/admin/api/streams/{id}', `/admin/api/streams/${streamId}`, adminStreamDetailSchema)) as {
      events: unknown[];
    };
    expect(detail.events.length).toBeGreaterThan(2);
    const history = (await get(
      '/admin/api/streams/{id}/history',
      `/admin/api/streams/${streamId}/history?minutes=30`,
      adminStreamHistorySchema,
    )) as { samples: unknown[] };
    expect(history.samples.length).toBeGreaterThan(0);

    const relays = (await get('/admin/api/relays', '/admin/api/relays', adminRelayViewSchema.array())) as { id: string }[];
    expect(relays.find((r) => r.id === 'relay-shape-1')).toMatchObject({ heartbeatAgeSeconds: expect.any(Number) });
  });

  it('the live feed: stream events and stats messages', async () => {
    const sse = openAdminEvents(t.baseUrl, admin.cookie);
    await sse.ready;
    expect(sse.status()).toBe(200);
    // All live streams' stats once right after connecting.
    const stats = await sse.waitFor((e) => e.event === 'stream.stats');
    expectShape(adminLiveStatsSchema, stats.data);
    await relay(t.app).post('/stream-status', { userId: 'shape@example.com', streamId, status: 'reconnecting' });
    const event = await sse.waitFor((e) => e.event === 'stream.status' && e.data.streamId === streamId);
    expectShape(streamEventSchema, event.data);
    sse.close();
    checkedGets.add('/admin/api/events');
  });

  it('a stopped stream', async () => {
    const stopped = await admin.post(`/admin/api/streams/${streamId}/stop`);
    expect(stopped.status).toBe(200);
    expectShape(adminStreamViewSchema, stopped.body);
  });

  it('covered every admin GET route the OpenAPI document lists (a new one needs its schema here)', async () => {
    const document = await request(t.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    const adminGets = Object.keys(paths).filter((path) => path.startsWith('/admin/api/') && paths[path].get);
    expect([...checkedGets].sort()).toEqual(adminGets.sort());
  });
});
