// One scenario of bench/polling, run in a child process on swc-compiled code (Nest needs
// decorator metadata): the real service (api role; the status sweep is called tick by tick)
// and the Cloudflare stand-in share a virtual clock, so 10 minutes pass in seconds.
// Prints one JSON line with the figures.
import Cloudflare from 'cloudflare';
import IORedis from 'ioredis';
import { createApp } from '../../src/app.factory';
import { CloudflareApiBudget } from '../../src/cloudflare/cloudflare-api-budget';
import { CloudflareStatusSweepService, STATUS_SWEEP_TICK_MS } from '../../src/cloudflare-status/cloudflare-status-sweep.service';
import { Clock } from '../../src/common/clock';
import { PrismaService } from '../../src/database/prisma.service';
import { startCloudflareStandIn } from '../../test/cloudflare-stand-in';
import { testConfig } from '../../test/support/test-config';
import { percentile, truthScript, type ExpectedStatus } from './truth-model';

const WEBHOOK_SECRET = 'bench-webhook-secret';
const STEP_MS = 1_000;
// Not a multiple of the sweep tick, so samples fall between sweeps as well as right after them.
const SAMPLE_EVERY_MS = 7_000;

export interface ScenarioResult {
  streams: number;
  webhooks: boolean;
  simulatedMinutes: number;
  callsMax5Min: number;
  callsTotal: number;
  rateLimited: number;
  changes: number;
  undetected: number;
  detectP50: number;
  detectP99: number;
  ageP50: number;
  ageP99: number;
  wallSeconds: number;
}

async function main(): Promise<void> {
  const streams = Number(process.env.BENCH_STREAMS ?? 1000);
  const webhooks = process.env.BENCH_WEBHOOKS === '1';
  const durationMs = Number(process.env.BENCH_MINUTES ?? 10) * 60_000;
  const started = Date.now();
  let virtualNow = Date.parse('2026-01-01T00:00:00Z');
  const now = () => virtualNow;

  const cf = await startCloudflareStandIn({ now, requestLogLimit: 1_000_000 });
  const redis = new IORedis(process.env.REDIS_URL as string);
  await redis.flushdb();
  await redis.quit();
  const config = testConfig({
    DATABASE_URL: process.env.DATABASE_URL as string,
    REDIS_URL: process.env.REDIS_URL as string,
    PROCESS_ROLE: 'api',
    CLOUDFLARE_ACCOUNT_ID: cf.accountId,
    CLOUDFLARE_API_TOKEN: cf.apiToken,
    CLOUDFLARE_API_BASE_URL: cf.baseURL,
    CLOUDFLARE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // Only the status sweep is measured: no fallback moves while streams sit connected.
    CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS: '100000',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const clock = app.get(Clock);
  clock.now = () => new Date(virtualNow);
  const prisma = app.get(PrismaService);
  await prisma.managedStream.deleteMany({});

  // Seed: live inputs made through the SDK (spread over virtual time, under the rate limit), rows inserted directly.
  const sdk = new Cloudflare({ apiToken: cf.apiToken, baseURL: cf.baseURL, maxRetries: 0 });
  const inputIds: string[] = [];
  for (let i = 0; i < streams; i++) {
    if (i > 0 && i % 1_000 === 0) virtualNow += 5 * 60_000 + 1;
    const input = await sdk.stream.liveInputs.create({
      account_id: cf.accountId,
      recording: { mode: 'automatic' },
      meta: { service: 'glasses-restream', streamId: `ms_bench_${i}` },
    });
    inputIds.push(input.uid as string);
  }
  for (let from = 0; from < streams; from += 1_000) {
    await prisma.managedStream.createMany({
      data: inputIds.slice(from, from + 1_000).map((uid, k) => ({
        id: `ms_bench_${from + k}`,
        userId: `bench-${from + k}`,
        liveUserId: `bench-${from + k}`,
        userPathSegment: `bench${from + k}`,
        strategy: 'cloudflare' as const,
        status: 'connecting' as const,
        cloudflareLiveInputId: uid,
        ingestBaseUrl: 'rtmps://live.cloudflare.com:443/live/',
      })),
    });
  }
  virtualNow += 5 * 60_000 + 1;
  const { port } = app.getHttpServer().address() as { port: number };
  if (webhooks) cf.control.configureWebhook({ url: `http://127.0.0.1:${port}/api/cloudflare/webhooks`, secret: WEBHOOK_SECRET });
  const start = virtualNow;
  const callsBefore = cf.control.requests().length;

  const script = truthScript(streams, durationMs);
  const pending = new Map<string, { expected: ExpectedStatus; atMs: number; action: string }>();
  const slow: string[] = [];
  const delays: number[] = [];
  const ages: number[] = [];
  let next = 0;
  const sweep = app.get(CloudflareStatusSweepService);
  for (let t = 0; t <= durationMs; t += STEP_MS) {
    virtualNow = start + t;
    while (next < script.length && script[next].atMs <= t) {
      const event = script[next++];
      const uid = inputIds[event.stream];
      if (event.action === 'connect') {
        cf.control.setState(uid, { state: 'connected' });
        cf.control.makeLiveVideoAppear(uid);
      } else {
        cf.control.setState(uid, { state: 'disconnected' });
      }
      pending.set(`ms_bench_${event.stream}`, { expected: event.expected, atMs: start + event.atMs, action: event.action });
    }
    if (webhooks) await cf.control.settleWebhooks();
    if (t % STATUS_SWEEP_TICK_MS === 0) await sweep.tick();
    if (pending.size > 0) {
      const rows = await prisma.managedStream.findMany({
        where: { id: { in: [...pending.keys()] } },
        select: { id: true, status: true },
      });
      for (const row of rows) {
        const change = pending.get(row.id);
        if (change && row.status === change.expected) {
          delays.push((virtualNow - change.atMs) / 1000);
          if (virtualNow - change.atMs > 30_000)
            slow.push(
              `${row.id} ${change.action} at ${(change.atMs - start) / 1000}s seen after ${(virtualNow - change.atMs) / 1000}s`,
            );
          pending.delete(row.id);
        }
      }
    }
    if (t > 0 && t % SAMPLE_EVERY_MS === 0) {
      const confirmed = await prisma.managedStream.findMany({
        where: { status: { in: ['active', 'reconnecting', 'connecting'] } },
        select: { cloudflareStateAt: true },
      });
      for (const row of confirmed)
        ages.push(row.cloudflareStateAt ? (virtualNow - row.cloudflareStateAt.getTime()) / 1000 : (virtualNow - start) / 1000);
    }
  }

  // The most calls in any sliding 5-minute window of the simulated run.
  const calls = cf.control
    .requests()
    .slice(callsBefore)
    .map((r) => Date.parse(r.at));
  let max = 0;
  for (let i = 0, j = 0; i < calls.length; i++) {
    while (calls[i] - calls[j] >= 5 * 60_000) j++;
    max = Math.max(max, i - j + 1);
  }
  const budgetUsed = (await app.get(CloudflareApiBudget).usage()).used;
  delays.sort((a, b) => a - b);
  ages.sort((a, b) => a - b);
  const result: ScenarioResult & { budgetUsedLastWindow: number } = {
    streams,
    webhooks,
    simulatedMinutes: durationMs / 60_000,
    callsMax5Min: max,
    callsTotal: calls.length,
    rateLimited: cf.control
      .requests()
      .slice(callsBefore)
      .filter((r) => r.status === 429).length,
    changes: script.length,
    undetected: pending.size,
    detectP50: percentile(delays, 50),
    detectP99: percentile(delays, 99),
    ageP50: percentile(ages, 50),
    ageP99: percentile(ages, 99),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    budgetUsedLastWindow: budgetUsed,
  };
  if (process.env.BENCH_DEBUG) process.stderr.write(`${slow.slice(0, 30).join('\n')}\n`);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  await app.close();
  await cf.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
