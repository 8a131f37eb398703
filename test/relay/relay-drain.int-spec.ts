import { generateDirtyStream } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream } from '../../relay/testkit/dirty-stream-plan';
import { publishDirtyStream } from '../../relay/testkit/dirty-stream-publisher';
import type { DirtyStream } from '../../relay/testkit/dirty-stream-timeline';
import { adminOverrides, signIn } from '../admin/admin-client';
import { relay as relayApi, sdk } from '../support/api-client';
import { RelayUnderTest, startRelay, waitFor } from '../support/relay-harness';
import { openSse } from '../support/sse-reader';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

// Long enough for the checks made during the drain on a loaded 2-core machine.
const DRAIN_SECONDS = 15;

interface StreamView {
  status: string;
  ingestUrl: string;
}

/** Two real relays (nginx-rtmp + FFmpeg); one is drained while a real publish flows through it. */
describe('relay: draining', () => {
  let t: TestApp;
  let apiKey: string;
  let app: ReturnType<typeof sdk>;
  let relayA: RelayUnderTest;
  let relayB: RelayUnderTest;
  let dirty: DirtyStream;
  const publishers: AbortController[] = [];
  const published: Promise<unknown>[] = [];
  let streamId = '';

  const view = async (id = streamId): Promise<StreamView> => (await app.get(`/api/managed-streams/${id}`)).body as StreamView;
  const relayState = async (id: string) =>
    ((await relayApi(t.app).get('/relays')).body.relays as { id: string; state: string }[]).find((r) => r.id === id)?.state;
  const rtmpPort = (ingestUrl: string) => Number(new URL(ingestUrl).port);
  const publish = (ingestUrl: string): void => {
    const controller = new AbortController();
    publishers.push(controller);
    // The relay drops the publisher at the deadline: the loop then fails, as glasses would lose their connection.
    published.push(publishDirtyStream(dirty, ingestUrl, { loop: true, signal: controller.signal }).catch(() => undefined));
  };

  beforeAll(async () => {
    t = await startTestApp(await adminOverrides({ RTMP_RELAY_URLS: '', RTMP_RELAY_HLS_URLS: '' }));
    apiKey = (await t.createTenant('Drain')).apiKey;
    app = sdk(t.app, apiKey);
    [relayA, dirty] = await Promise.all([
      startRelay(t.baseUrl, { RELAY_ID: 'relay-drain-a', RELAY_DRAIN_SECONDS: String(DRAIN_SECONDS) }),
      generateDirtyStream(planDirtyStream(20261202, 20)),
    ]);
  });

  afterAll(async () => {
    for (const controller of publishers) controller.abort();
    await Promise.all(published);
    await Promise.all([relayA?.stop(), relayB?.stop()]);
    await t?.close();
  });

  it('keeps a draining relay out of assignment, carries its live stream until the deadline, then moves it', async () => {
    const started = await app.startStream({ userId: 'drained-wearer@example.com' });
    expect(started.status).toBe(201);
    streamId = started.body.streamId as string;
    expect(rtmpPort(started.body.ingestUrl as string)).toBe(relayA.config.RELAY_RTMP_PORT);
    publish(started.body.ingestUrl as string);
    await waitFor('the stream to be active on relay A', async () => (await view()).status === 'active');

    relayB = await startRelay(t.baseUrl, { RELAY_ID: 'relay-drain-b', RELAY_DRAIN_SECONDS: '3' });
    const sse = openSse(`${t.baseUrl}/api/managed-streams/${streamId}/events`, { Authorization: `Bearer ${apiKey}` });
    await sse.ready;

    // What SIGTERM does in relay/src/main.ts.
    const drainStartedAt = Date.now();
    const drained = relayA.agent.drain('test: SIGTERM');
    await waitFor('relay A draining in the API', async () => (await relayState('relay-drain-a')) === 'draining');

    // Users who would hash to relay A land on relay B while A drains.
    for (const user of ['n1@example.com', 'n2@example.com', 'n3@example.com', 'n4@example.com', 'n5@example.com']) {
      const other = await app.startStream({ userId: user });
      expect(other.status).toBe(201);
      expect(rtmpPort(other.body.ingestUrl as string)).toBe(relayB.config.RELAY_RTMP_PORT);
    }

    // The live stream carries on through relay A during the drain.
    const during = await view();
    expect(Date.now() - drainStartedAt).toBeLessThan((DRAIN_SECONDS - 1) * 1000);
    expect(during.status).toBe('active');
    expect(rtmpPort(during.ingestUrl)).toBe(relayA.config.RELAY_RTMP_PORT);
    expect(relayA.agent.isDraining).toBe(true);

    // At the deadline the stream moves to relay B and its app is told the new ingest URL.
    await drained;
    expect(Date.now() - drainStartedAt).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 100);
    const moved = await sse.waitFor((event) => {
      const data = (event.data as unknown as { data?: { ingestUrl?: string } }).data;
      return event.event === 'stream.status' && data?.ingestUrl !== undefined;
    });
    const movedData = (moved.data as unknown as { data: { ingestUrl: string; relayId: string; previousRelayId: string } }).data;
    expect(movedData).toMatchObject({ relayId: 'relay-drain-b', previousRelayId: 'relay-drain-a' });
    expect(rtmpPort(movedData.ingestUrl)).toBe(relayB.config.RELAY_RTMP_PORT);
    await sse.waitFor((event) => event.data.status === 'reconnecting');
    sse.close();
    const after = await view();
    expect(rtmpPort(after.ingestUrl)).toBe(relayB.config.RELAY_RTMP_PORT);
    expect(after.status).toBe('reconnecting');

    // The glasses follow the new URL and the stream is live again, on relay B.
    publish(after.ingestUrl);
    await waitFor('the stream to be active on relay B', async () => (await view()).status === 'active');
  });

  it('drains a relay an operator asks to drain from the dashboard, then its agent stops', async () => {
    const admin = await signIn(t.app);
    expect((await admin.post('/admin/api/relays/no-such-relay/drain')).status).toBe(404);
    const res = await admin.post('/admin/api/relays/relay-drain-b/drain');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'relay-drain-b', state: 'draining' });
    expect(res.body.liveStreams).toBeGreaterThanOrEqual(1);

    await waitFor('relay B agent to learn it drains', async () => relayB.agent.isDraining);
    // No active relay is left: a new stream is not placed on the draining one.
    const refused = await app.startStream({ userId: 'late@example.com' });
    expect(refused.body.ingestUrl ?? '').not.toContain(`:${relayB.config.RELAY_RTMP_PORT}/`);

    // Nowhere to move the stream: it reconnects (as on relay loss) and waits for a relay to come back.
    await relayB.agent.drain('already draining: the same drain');
    await waitFor('the stream to be reconnecting', async () => (await view()).status === 'reconnecting');
  });
});
