import request from 'supertest';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import { WebhookRetentionService } from '../../src/webhooks/webhook-retention.service';
import { createWebhookApp, eventually, prismaOf, startWebhookReceiver } from './job-test-kit';

// Jobs run on their own schedules (and one test restarts a worker): more than jest's default 5 s.
jest.setTimeout(40_000);

const FAST_WEBHOOKS = {
  ALLOW_PRIVATE_DESTINATIONS: 'true',
  WEBHOOK_DISPATCH_INTERVAL_MS: '150',
  WEBHOOK_BACKOFF_BASE_MS: '200',
  WEBHOOK_BACKOFF_MAX_MS: '800',
  WEBHOOK_MAX_ATTEMPTS: '5',
};

describe('app webhooks (real HTTP receivers, Postgres and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(FAST_WEBHOOKS);
  });
  afterAll(() => t.close());

  const deliveriesOf = (appId: string) =>
    prismaOf(t.app).webhookDelivery.findMany({ where: { appId }, orderBy: { eventId: 'asc' } });

  it('POSTs every status change, signed with the app secret, to the apps concerned only', async () => {
    const receiverA = await startWebhookReceiver();
    const receiverB = await startWebhookReceiver();
    try {
      const appA = await createWebhookApp(t.app, 'Signed A', receiverA.url);
      const appB = await createWebhookApp(t.app, 'Signed B', receiverB.url);
      const started = await sdk(t.app, appA.apiKey).startStream({
        userId: 'signed@example.com',
        restreamDestinations: [{ url: 'rtmp://127.0.0.1:1935/live/signed-key-1234' }],
      });
      const { streamId } = started.body;
      const destinationId = started.body.destinations[0].id;
      await relay(t.app).post('/stream-status', { userId: 'signed@example.com', streamId, status: 'active' });
      await sdk(t.app, appB.apiKey).startStream({ userId: 'signed@example.com' });
      await relay(t.app).post('/stream-status', {
        userId: 'signed@example.com',
        streamId,
        status: 'active',
        destinations: [{ id: destinationId, status: 'broadcasting' }],
      });
      await relay(t.app).post('/hls-ready', {
        userId: 'signed@example.com',
        streamId,
        hlsUrl: 'http://relay.test:8888/hls/x/index.m3u8',
      });

      await eventually('A gets the playback event', async () =>
        receiverA.receipts.some((r) => r.body.type === 'stream.playback'),
      );
      await eventually('B gets the playback event', async () =>
        receiverB.receipts.some((r) => r.body.type === 'stream.playback'),
      );
      // Deliveries run concurrently, so arrival order is not guaranteed; event ids give the order.
      const summary = (receipts: typeof receiverA.receipts) =>
        [...receipts].sort((a, b) => Number(a.body.id) - Number(b.body.id)).map((r) => `${r.body.type}:${r.body.status}`);
      expect(summary(receiverA.receipts)).toEqual([
        'stream.status:initializing',
        'stream.status:connecting',
        'stream.status:active',
        'destination.status:broadcasting',
        'stream.playback:hls_ready',
      ]);
      // B joined after the stream became active, and A's destination is none of its business.
      expect(summary(receiverB.receipts)).toEqual(['stream.playback:hls_ready']);

      const nowSeconds = Math.floor(Date.now() / 1000);
      for (const receipt of receiverA.receipts) {
        expect(receipt.headers['content-type']).toBe('application/json');
        expect(receipt.eventId).toBe(receipt.body.id);
        expect(receipt.body.streamId).toBe(streamId);
        expect(
          verifyWebhookSignature(receipt.headers['x-restream-signature'] as string, receipt.rawBody, appA.secret, nowSeconds),
        ).toEqual({
          valid: true,
        });
        expect(
          verifyWebhookSignature(receipt.headers['x-restream-signature'] as string, receipt.rawBody, appB.secret, nowSeconds)
            .valid,
        ).toBe(false);
        expect(receipt.rawBody).not.toContain('signed-key-1234');
      }
      const broadcasting = receiverA.receipts.find((r) => r.body.type === 'destination.status');
      expect(broadcasting?.body.destinationId).toBe(destinationId);
      expect((await deliveriesOf(appA.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    } finally {
      await receiverA.close();
      await receiverB.close();
    }
  });

  it('retries transient failures with backoff until the one success, and records a 410 as permanent', async () => {
    // Fails the first two attempts of each event with 503, then accepts.
    const flaky = await startWebhookReceiver((_receipt, previous) => (previous < 2 ? 503 : 200));
    const gone = await startWebhookReceiver(() => 410);
    try {
      const flakyApp = await createWebhookApp(t.app, 'Flaky', flaky.url);
      const goneApp = await createWebhookApp(t.app, 'Gone', gone.url);
      await sdk(t.app, flakyApp.apiKey).startStream({ userId: 'flaky@example.com' });
      await sdk(t.app, goneApp.apiKey).startStream({ userId: 'gone@example.com' });

      const delivered = await eventually('flaky deliveries done', async () => {
        const rows = await deliveriesOf(flakyApp.id);
        return rows.length === 2 && rows.every((row) => row.status === 'delivered') && rows;
      });
      for (const row of delivered) {
        const attempts = flaky.receipts.filter((r) => r.eventId === row.eventId.toString());
        expect(attempts.map((r) => r.answered)).toEqual([503, 503, 200]);
        expect(row).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
        // Capped, jittered backoff (base 200 ms): the first retry waits 100-200 ms, the second 200-400 ms.
        expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(90);
        expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(190);
      }
      expect(flaky.succeeded()).toHaveLength(2);

      const failed = await eventually('gone deliveries failed', async () => {
        const rows = await deliveriesOf(goneApp.id);
        return rows.length === 2 && rows.every((row) => row.status === 'failed') && rows;
      });
      for (const row of failed)
        expect(row).toMatchObject({ attempts: 1, lastStatusCode: 410, lastError: 'HTTP 410', deliveredAt: null });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(gone.receipts).toHaveLength(2);
    } finally {
      await flaky.close();
      await gone.close();
    }
  });

  it('never makes the API wait on a receiver, and keeps retrying one that is unreachable', async () => {
    const unreachable = await startWebhookReceiver();
    const unreachableApp = await createWebhookApp(t.app, 'Unreachable', unreachable.url);
    await unreachable.close(); // nothing listens any more: deliveries fail at the network level and retry later
    const before = Date.now();
    const started = await sdk(t.app, unreachableApp.apiKey).startStream({ userId: 'unreachable@example.com' });
    expect(started.status).toBe(201);
    expect(Date.now() - before).toBeLessThan(1000);
    const row = await eventually('a network failure recorded', async () => {
      const rows = await deliveriesOf(unreachableApp.id);
      return rows.find((r) => r.attempts > 0);
    });
    expect(row).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(row.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });
});

describe('webhook delivery retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETENTION_DAYS: '7' });
  });
  afterAll(() => t.close());

  it('deletes settled deliveries older than the retention and keeps pending and recent ones', async () => {
    const tenant = await createWebhookApp(t.app, 'Retention', 'https://hooks.example.com/in');
    const prisma = prismaOf(t.app);
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    const rows = [
      { id: 'old-delivered', eventId: 1001n, status: 'delivered' as const, updatedAt: old },
      { id: 'old-failed', eventId: 1002n, status: 'failed' as const, updatedAt: old },
      // Still retrying (queued already, so the dispatcher leaves it alone): kept whatever its age.
      { id: 'old-pending', eventId: 1003n, status: 'pending' as const, updatedAt: old, enqueuedAt: old },
      { id: 'recent-delivered', eventId: 1004n, status: 'delivered' as const, updatedAt: new Date() },
    ];
    await prisma.webhookDelivery.createMany({ data: rows.map((row) => ({ ...row, appId: tenant.id })) });

    // The hourly job also runs once at start-up and may win the race: assert on what is left.
    await t.app.get(WebhookRetentionService).prune();
    const left = await prisma.webhookDelivery.findMany({ where: { appId: tenant.id }, orderBy: { id: 'asc' } });
    expect(left.map((row) => row.id)).toEqual(['old-pending', 'recent-delivered']);
    const metrics = await request(t.app.getHttpServer()).get('/metrics');
    expect(metrics.text).toContain('webhook_deliveries{status="pending"} 1');
    expect(metrics.text).toContain('webhook_deliveries{status="delivered"} 1');
  });
});

describe('app webhooks to private addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...FAST_WEBHOOKS, ALLOW_PRIVATE_DESTINATIONS: 'false' });
  });
  afterAll(() => t.close());

  it('are refused and recorded as failed unless ALLOW_PRIVATE_DESTINATIONS is set', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const app = await createWebhookApp(t.app, 'Private', receiver.url);
      await sdk(t.app, app.apiKey).startStream({ userId: 'private@example.com' });
      const rows = await eventually('refused deliveries', async () => {
        const found = await prismaOf(t.app).webhookDelivery.findMany({ where: { appId: app.id } });
        return found.length === 2 && found.every((row) => row.status === 'failed') && found;
      });
      expect(rows[0].lastError).toContain('loopback, private or link-local');
      expect(receiver.receipts).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
