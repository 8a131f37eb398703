// When an event stream ends: after the stream's final status, and when the application shuts
// down (clients then reconnect with Last-Event-ID and lose nothing).
import { sdk } from '../support/api-client';
import { openSse } from '../support/sse-reader';
import { startTestApp, TestApp } from '../support/test-app';

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('SSE responses end', () => {
  let t: TestApp;
  let apiKey: string;
  const events = (streamId: string, lastEventId?: string) =>
    openSse(`${t.baseUrl}/api/managed-streams/${streamId}/events`, {
      Authorization: `Bearer ${apiKey}`,
      ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
    });

  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await t.createTenant('Ending')).apiKey;
  });
  afterAll(() => t.close());

  it('after the stream stopped, and at once for a client that comes back after that', async () => {
    const started = await sdk(t.app, apiKey).startStream({ userId: 'ending@example.com' });
    const { streamId } = started.body;
    const sse = events(streamId);
    await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'connecting');
    expect(sse.ended()).toBe(false);

    await sdk(t.app, apiKey).delete(`/api/managed-streams/${streamId}`).expect(200);
    const stopped = await sse.waitFor((e) => e.event === 'stream.status' && e.data.status === 'stopped');
    expect(await waitUntil(() => sse.ended(), 3_000)).toBe(true);

    const back = events(streamId, stopped.id);
    await back.ready;
    expect(back.status()).toBe(200);
    expect(await waitUntil(() => back.ended(), 3_000)).toBe(true);
    expect(back.events).toEqual([]);
  });

  it('when the application shuts down, which then does not wait for the clients to leave', async () => {
    const own = await startTestApp();
    const key = (await own.createTenant('Shutting down')).apiKey;
    const { streamId } = (await sdk(own.app, key).startStream({ userId: 'shutdown@example.com' })).body;
    const clients = [0, 1].map(() =>
      openSse(`${own.baseUrl}/api/managed-streams/${streamId}/events`, { Authorization: `Bearer ${key}` }),
    );
    await Promise.all(clients.map((c) => c.waitFor((e) => e.event === 'stream.status')));

    const closing = Date.now();
    await own.close();
    expect(Date.now() - closing).toBeLessThan(3_000);
    expect(clients.map((c) => c.ended())).toEqual([true, true]);
  });
});
