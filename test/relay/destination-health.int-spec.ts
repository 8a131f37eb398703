import { createServer, type Server } from 'node:http';
import { generateDirtyStream } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream } from '../../relay/testkit/dirty-stream-plan';
import { publishDirtyStream } from '../../relay/testkit/dirty-stream-publisher';
import { findFreePort, RtmpSinks, startRtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../admin/fixtures/self-signed-tls';
import { sdk } from '../support/api-client';
import { RelayUnderTest, startRelay, waitFor } from '../support/relay-harness';
import { openSse } from '../support/sse-reader';
import { StallableProxy, startStallableProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { startTlsProxy } from '../support/tls-proxy';

jest.setTimeout(180_000);

interface DestinationView {
  id: string;
  name: string;
  status: string;
  attempts: number;
  nextRetryAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  sent: { bitrateKbps: number | null; frames: number | null } | null;
}

const KEYS = {
  refused: 'sk-refused-4242',
  closed: 'sk-closed-4242',
  dns: 'sk-dns-4242',
  tls: 'sk-tls-4242',
  stall: 'sk-stall-4242',
};
const MAX_REFUSALS = 3;

/** nginx-rtmp's on_publish asks this: 403 (the key refused) until told to accept. */
async function startPublishGate(): Promise<{ url: string; accept(yes: boolean): void; close(): Promise<void> }> {
  let accepting = false;
  const server: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(accepting ? 200 : 403).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/on-publish`,
    accept: (yes) => (accepting = yes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Each way a destination fails, through a real relay to real sinks: the API says which (a code) and
 * what to check (a message), a refused key stops being tried, a failure that repeats is one event,
 * and "retry now" reconnects at once.
 */
describe('relay: destination health', () => {
  let t: TestApp;
  let relay: RelayUnderTest;
  let sinks: RtmpSinks;
  let gated: RtmpSinks;
  let gate: Awaited<ReturnType<typeof startPublishGate>>;
  let stall: StallableProxy;
  let tls: Awaited<ReturnType<typeof startTlsProxy>>;
  let app: ReturnType<typeof sdk>;
  let apiKey = '';
  let streamId = '';
  const publishing = new AbortController();
  let published: Promise<unknown> = Promise.resolve();

  const destinations = async (): Promise<DestinationView[]> =>
    ((await app.get(`/api/managed-streams/${streamId}`)).body as { destinations: DestinationView[] }).destinations;
  const destination = async (name: string): Promise<DestinationView> => (await destinations()).find((d) => d.name === name)!;

  beforeAll(async () => {
    t = await startTestApp({ RTMP_RELAY_URLS: '', RTMP_RELAY_HLS_URLS: '', ALLOW_PRIVATE_DESTINATIONS: 'true' });
    apiKey = (await t.createTenant('Health')).apiKey;
    app = sdk(t.app, apiKey);
    gate = await startPublishGate();
    let dirty;
    [relay, sinks, gated, dirty] = await Promise.all([
      // Quick heartbeats: "retry now" reaches the relay with the next one.
      startRelay(t.baseUrl, { RELAY_HEARTBEAT_MS: '250', RELAY_DESTINATION_MAX_REFUSALS: String(MAX_REFUSALS) }),
      startRtmpSinks({ apps: ['tls', 'stall'] }),
      startRtmpSinks({ apps: ['live'], onPublishUrl: gate.url }),
      generateDirtyStream(planDirtyStream(20261202, 20)),
    ]);
    stall = await startStallableProxy(sinks.port);
    tls = await startTlsProxy(sinks.port, { cert: TEST_TLS_CERT, key: TEST_TLS_KEY });
    const closedPort = await findFreePort();
    const started = await app.startStream({
      userId: 'health@example.com',
      restreamDestinations: [
        { url: gated.urlFor('live', KEYS.refused), name: 'Refused' },
        { url: `rtmp://127.0.0.1:${closedPort}/live/${KEYS.closed}`, name: 'Closed' },
        { url: `rtmp://ingest.nowhere.invalid/live/${KEYS.dns}`, name: 'Nowhere' },
        { url: `rtmps://127.0.0.1:${tls.port}/tls/${KEYS.tls}`, name: 'Self-signed' },
        { url: `rtmp://127.0.0.1:${stall.port}/stall/${KEYS.stall}`, name: 'Stalls' },
      ],
    });
    expect(started.status).toBe(201);
    streamId = started.body.streamId as string;
    published = publishDirtyStream(dirty, started.body.ingestUrl as string, { loop: true, signal: publishing.signal });
  });

  afterAll(async () => {
    publishing.abort();
    await published.catch(() => undefined);
    await relay?.stop();
    await Promise.all([
      sinks?.stop({ removeFiles: true }),
      gated?.stop({ removeFiles: true }),
      gate?.close(),
      stall?.close(),
      tls?.close(),
    ]);
    await t?.close();
  });

  it('gives each failure its code and a message that says what to check, never the key', async () => {
    const expected: Record<string, { status: string; code: string; message: RegExp }> = {
      Refused: {
        status: 'failed',
        code: 'key_rejected',
        message: /closed the connection when asked to publish: check the stream key/,
      },
      Closed: {
        status: 'retrying',
        code: 'connection_refused',
        message: /127\.0\.0\.1 refused the connection: check the server URL and port/,
      },
      Nowhere: { status: 'retrying', code: 'dns_failed', message: /ingest\.nowhere\.invalid does not resolve/ },
      'Self-signed': { status: 'retrying', code: 'tls_failed', message: /secure connection to 127\.0\.0\.1 failed \(.*CERT.*\)/ },
    };
    const seen = await waitFor(
      'every failing destination to report its code',
      async () => {
        const all = await destinations();
        const ready = Object.entries(expected).every(([name, want]) => {
          const d = all.find((x) => x.name === name);
          return d?.status === want.status && d.lastError?.code === want.code;
        });
        return ready && all;
      },
      60_000,
    );
    for (const [name, want] of Object.entries(expected)) {
      const d = seen.find((x) => x.name === name)!;
      expect({ name, message: d.lastError?.message }).toEqual({ name, message: expect.stringMatching(want.message) });
      expect(Date.parse(d.lastError!.at)).toBeGreaterThan(Date.now() - 60_000);
      if (d.status === 'retrying') {
        expect(d.attempts).toBeGreaterThanOrEqual(1);
        expect(Number.isNaN(Date.parse(d.nextRetryAt!))).toBe(false);
      }
    }
    const refused = seen.find((x) => x.name === 'Refused')!;
    expect(refused).toMatchObject({ attempts: MAX_REFUSALS, nextRetryAt: null });
    expect(JSON.stringify(seen)).not.toMatch(new RegExp(Object.values(KEYS).join('|')));

    const healthy = await waitFor('the stalling one to broadcast first', async () => {
      const d = await destination('Stalls');
      return d.status === 'broadcasting' && (d.sent?.frames ?? 0) > 0 && (d.sent?.bitrateKbps ?? 0) > 0 && d;
    });
    expect(healthy).toMatchObject({ attempts: 0, nextRetryAt: null, lastError: null });
  });

  it('a refused destination stays failed: the relay tries it no more', async () => {
    const before = await destination('Refused');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await destination('Refused')).toMatchObject({ status: 'failed', attempts: before.attempts });
  });

  it('reports a destination that stops reading as stalled', async () => {
    stall.stall();
    let last: DestinationView | undefined;
    const stalled = await waitFor(
      `Stalls to be reported stalled (last seen: ${JSON.stringify(last)})`,
      async () => {
        const d = (last = await destination('Stalls'));
        if (d.lastError) process.stdout.write(`Stalls: ${JSON.stringify(d)}\n`);
        return d.lastError?.code === 'stalled' && d;
      },
      90_000,
    ); // the kernel's socket buffers fill first
    expect(stalled.status).toBe('retrying');
    expect(stalled.lastError?.message).toMatch(/stopped reading the stream/);
    expect(stalled.sent).toBeNull();
    stall.resume();
    await waitFor('Stalls to broadcast again', async () => (await destination('Stalls')).status === 'broadcasting', 20_000);
  });

  it('records a failure that repeats as one event, however many attempts, and carries the error on it', async () => {
    const url = `${t.baseUrl}/api/managed-streams/${streamId}/events`;
    const sse = openSse(url, { Authorization: `Bearer ${apiKey}` });
    await sse.ready;
    // The closed port and the unresolvable name have failed since the stream started; give them a while more.
    const closed = await destination('Closed');
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const after = await destination('Closed');
    expect(after.attempts).toBeGreaterThanOrEqual(closed.attempts + 4);
    sse.close();
    const byName = new Map((await destinations()).map((d) => [d.id, d.name]));
    const statusEvents = (name: string) =>
      sse.events.filter((e) => e.data.type === 'destination.status' && byName.get(e.data.destinationId ?? '') === name);
    const closedEvents = statusEvents('Closed');
    process.stdout.write(
      `Closed: ${after.attempts} attempts, events ${closedEvents.map((e) => `${e.data.status} ${e.data.reason}`).join(' → ')}\n`,
    );
    // `starting` may go unreported when the first attempt fails within the relay's 100 ms report batch.
    const statuses = (name: string) => statusEvents(name).map((e) => e.data.status);
    expect(statuses('Closed')).toEqual(expect.arrayContaining(['retrying']));
    expect(statuses('Closed').length).toBeLessThanOrEqual(2);
    expect(statuses('Nowhere').slice(-1)).toEqual(['retrying']);
    expect(statuses('Nowhere').length).toBeLessThanOrEqual(2);
    expect(statuses('Refused').slice(-1)).toEqual(['failed']);
    expect(statuses('Refused').length).toBeLessThanOrEqual(3);
    const retrying = closedEvents.find((e) => e.data.status === 'retrying')!.data as unknown as {
      reason: string;
      data: { lastError: { code: string }; attempts: number };
    };
    expect(retrying.data.lastError.code).toBe('connection_refused');
    expect(retrying.reason).toMatch(/refused the connection/);
  });

  it('retries now: 404 for an unknown destination, 409 off the relay, and a reconnect within 1 s', async () => {
    const refused = await destination('Refused');
    expect((await app.post(`/api/managed-streams/${streamId}/destinations/dst_nope/retry`)).status).toBe(404);
    const idle = await app.startStream({
      userId: 'not-publishing@example.com',
      restreamDestinations: [{ url: sinks.urlFor('tls', 'idle-key'), name: 'Idle' }],
    });
    const idleDestination = (idle.body as { destinations: DestinationView[] }).destinations[0];
    const conflict = await app.post(`/api/managed-streams/${idle.body.streamId}/destinations/${idleDestination.id}/retry`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toMatch(/not live on a relay/);

    gate.accept(true);
    const since = Date.now();
    const accepted = await app.post(`/api/managed-streams/${streamId}/destinations/${refused.id}/retry`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ id: refused.id, status: 'failed' });
    let back: DestinationView | undefined;
    while (Date.now() - since < 3000) {
      back = await destination('Refused');
      if (back.status === 'broadcasting') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const elapsed = Date.now() - since;
    process.stdout.write(`retry now: broadcasting ${elapsed} ms after the request\n`);
    expect(back?.status).toBe('broadcasting');
    expect(elapsed).toBeLessThan(1000);
    expect(back).toMatchObject({ attempts: 0, nextRetryAt: null });
  });

  it('counts failed attempts by code in the relay metrics', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${relay.config.RELAY_CONTROL_PORT}/metrics`)).text();
    for (const code of ['key_rejected', 'connection_refused', 'dns_failed', 'tls_failed', 'stalled']) {
      expect(metrics).toMatch(new RegExp(`relay_destination_failed_attempts_total\\{code="${code}"\\} [1-9]`));
    }
  });
});
