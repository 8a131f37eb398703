import { publishGlasses } from '../../relay/testkit/glasses-publisher';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import { createWebhookApp, startWebhookReceiver } from '../jobs/job-test-kit';
import { sdk } from '../support/api-client';
import { publishCleanCamera } from '../support/clean-camera';
import { startRelay, waitFor, type RelayUnderTest } from '../support/relay-harness';
import { openSse } from '../support/sse-reader';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

interface IngestView {
  grade: 'good' | 'degraded' | 'poor';
  reason: string;
  fpsMean: number;
  fpsMin: number;
  bitrateKbps: number;
  keyframeIntervalSeconds: number | null;
  timestampJumps: number;
  gaps: number;
  avDriftMs: number | null;
  updatedAt: string;
}

/**
 * The relay grades each stream's uplink from what the glasses really send (real FFmpeg publishing,
 * the real relay), and the app hears of a change of grade over SSE and a signed webhook.
 */
describe('relay: ingest health for apps', () => {
  let t: TestApp;
  let relay: RelayUnderTest;
  let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let tenant: { apiKey: string; secret: string };
  let app: ReturnType<typeof sdk>;

  beforeAll(async () => {
    t = await startTestApp({
      RTMP_RELAY_URLS: '',
      RTMP_RELAY_HLS_URLS: '',
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      WEBHOOK_DISPATCH_INTERVAL_MS: '150',
    });
    webhooks = await startWebhookReceiver();
    tenant = await createWebhookApp(t.app, 'Uplink', webhooks.url);
    app = sdk(t.app, tenant.apiKey);
    relay = await startRelay(t.baseUrl);
  });

  afterAll(async () => {
    await relay?.stop();
    await webhooks?.close();
    await t?.close();
  });

  const ingestOf = async (streamId: string): Promise<IngestView | null> =>
    ((await app.get(`/api/managed-streams/${streamId}`)).body as { ingest: IngestView | null }).ingest;

  async function startStream(userId: string): Promise<{ streamId: string; ingestUrl: string }> {
    const started = await app.startStream({ userId, quality: '720p', reconnectWindowSeconds: 0 });
    expect(started.status).toBe(201);
    return started.body as { streamId: string; ingestUrl: string };
  }

  it('grades a steady camera good, with figures that match what it sends', async () => {
    const { streamId, ingestUrl } = await startStream('steady@example.com');
    const events = openSse(`${t.baseUrl}/api/managed-streams/${streamId}/events`, { Authorization: `Bearer ${tenant.apiKey}` });
    try {
      const camera = publishCleanCamera(ingestUrl, { seconds: 16 });
      const good = await waitFor('the uplink to be graded', async () => (await ingestOf(streamId)) ?? null, 15_000);
      expect(good).toMatchObject({ grade: 'good' });
      // Measured once the window holds several seconds of the camera.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const figures = (await ingestOf(streamId)) as IngestView;
      expect(figures).toMatchObject({ grade: 'good' });
      expect(figures.fpsMean).toBeGreaterThan(26);
      expect(figures.fpsMean).toBeLessThan(34);
      expect(figures.keyframeIntervalSeconds).toBeGreaterThan(1.5);
      expect(figures.keyframeIntervalSeconds).toBeLessThan(2.6);
      // 2,000 kbit/s of pictures and 128 of sound, as the camera is told to send.
      expect(figures.bitrateKbps).toBeGreaterThan(800);
      expect(figures.bitrateKbps).toBeLessThan(3_500);
      expect(figures).toMatchObject({ timestampJumps: 0, gaps: 0 });
      expect(Math.abs(figures.avDriftMs ?? 0)).toBeLessThan(500);
      await waitFor(
        'the grade event on the stream feed',
        async () => events.events.find((e) => (e.data as { type: string }).type === 'stream.ingest_health') ?? null,
        5_000,
      ).then((event) => expect(event.data).toMatchObject({ status: 'good', data: { gaps: 0 } }));
      await camera;
    } finally {
      events.close();
    }
  });

  it('grades glasses at 4 fps poor, says why, and tells the app once by SSE and signed webhook', async () => {
    const { streamId, ingestUrl } = await startStream('slow@example.com');
    const glasses = publishGlasses(ingestUrl, { seed: 5, durationSec: 16, fps: 4, fontFile: null });
    const poor = await waitFor(
      'the uplink to be graded poor',
      async () => {
        const ingest = await ingestOf(streamId);
        return ingest?.grade === 'poor' ? ingest : null;
      },
      25_000,
    );
    expect(poor.reason).toMatch(/pictures a second|no picture/);
    expect(poor.fpsMean).toBeLessThan(5);
    const webhook = await waitFor(
      'the grade change as a webhook',
      async () =>
        webhooks.receipts.find(
          (r) => (r.body as { type: string; streamId: string }).type === 'stream.ingest_health' && r.body.streamId === streamId,
        ) ?? null,
      10_000,
    );
    expect(webhook.body).toMatchObject({ type: 'stream.ingest_health', status: 'poor' });
    const signature = verifyWebhookSignature(
      webhook.headers['x-restream-signature'] as string,
      webhook.rawBody,
      tenant.secret,
      Math.floor(Date.now() / 1000),
    );
    expect(signature.valid).toBe(true);
    await glasses.done;
    // One event per change of grade, not one per report.
    const gradeEvents = webhooks.receipts.filter(
      (r) => r.body.type === 'stream.ingest_health' && r.body.streamId === streamId && r.body.status === 'poor',
    );
    expect(gradeEvents.length).toBe(1);
  });
});
