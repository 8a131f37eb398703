import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '../../src/queues/queues';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { createWebhookApp, eventually, prismaOf, startWebhookReceiver, statusEvents } from './job-test-kit';

// Jobs run on their own schedules (and one test restarts a worker): more than jest's default 5 s.
jest.setTimeout(40_000);

const SETTINGS = {
  ALLOW_PRIVATE_DESTINATIONS: 'true',
  WEBHOOK_DISPATCH_INTERVAL_MS: '150',
  // Long enough that the failed deliveries are still waiting in their backoff when the worker stops.
  WEBHOOK_BACKOFF_BASE_MS: '1500',
  WEBHOOK_BACKOFF_MAX_MS: '3000',
  // Only the delayed duration-limit job may stop the stream, not the periodic scan.
  STREAM_MAINTENANCE_INTERVAL_MS: '600000',
};

describe('jobs survive a restart of the worker', () => {
  let first: TestApp | null = null;
  let second: TestApp | null = null;
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('a new worker on the same Postgres and Redis runs the delayed and retrying jobs, each exactly once', async () => {
    let receiverUp = false;
    const receiver = await startWebhookReceiver(() => (receiverUp ? 200 : 503));
    try {
      first = await startTestApp(SETTINGS);
      const tenant = await createWebhookApp(first.app, 'Restart', receiver.url);
      const { streamId } = (await sdk(first.app, tenant.apiKey).startStream({ userId: 'restart@example.com', durationLimit: 60 }))
        .body;
      // The API accepts a minute at least; the delayed job reads the limit from the row.
      await prismaOf(first.app).managedStream.update({ where: { id: streamId }, data: { durationLimit: 3 } });
      await relay(first.app).post('/stream-status', { userId: 'restart@example.com', streamId, status: 'active' });
      // initializing, connecting, active: each tried once and now waiting to be retried.
      await eventually('first attempts', async () => new Set(receiver.receipts.map((r) => r.eventId)).size === 3);
      // Same database, Redis and secrets: the new worker must decrypt the app's webhook secret.
      const { DATABASE_URL, REDIS_URL, PUBLISH_KEY_SECRET, ENCRYPTION_KEYS } = first.config;
      const keys = ENCRYPTION_KEYS.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
      await first.close();
      first = null;
      expect(receiver.succeeded()).toHaveLength(0);

      receiverUp = true;
      second = await startTestApp({
        ...SETTINGS,
        DATABASE_URL,
        REDIS_URL,
        PUBLISH_KEY_SECRET,
        ENCRYPTION_KEYS: keys,
        PROCESS_ROLE: 'worker',
      });
      const worker = second;
      const stopped = await eventually('duration limit in the new worker', async () => {
        const row = await prismaOf(worker.app).managedStream.findUniqueOrThrow({ where: { id: streamId } });
        return row.status === 'stopping' && row;
      });
      expect(stopped.statusReason).toBe('duration limit reached');
      // stopping is the fourth event to deliver.
      await eventually('all deliveries', async () => {
        const rows = await prismaOf(worker.app).webhookDelivery.findMany({ where: { appId: tenant.id } });
        return rows.length === 4 && rows.every((row) => row.status === 'delivered');
      });
      // Give any duplicate a chance to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      expect((await statusEvents(worker.app, streamId)).filter((e) => e.reason === 'duration limit reached')).toHaveLength(1);
      const successes = receiver.succeeded().map((r) => `${r.body.type}:${r.body.status}`);
      expect(successes.sort()).toEqual([
        'stream.status:active',
        'stream.status:connecting',
        'stream.status:initializing',
        'stream.status:stopping',
      ]);
      const rows = await prismaOf(worker.app).webhookDelivery.findMany({ where: { appId: tenant.id } });
      expect(rows.filter((row) => row.attempts === 2)).toHaveLength(3);
      // Every start-up upserts the same schedulers: still one per recurring job.
      const expected = { [QUEUES.relayHealth]: 1, [QUEUES.streamMaintenance]: 1, [QUEUES.appWebhooks]: 2 };
      for (const [queue, count] of Object.entries(expected)) {
        expect(await worker.app.get<Queue>(getQueueToken(queue)).getJobSchedulersCount()).toBe(count);
      }
    } finally {
      await receiver.close();
    }
  });
});
