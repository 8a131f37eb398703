import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { publishGlasses, type GlassesOptions } from '../../relay/testkit/glasses-publisher';
import { startRtmpSinks, type RtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { checkStreamCleanliness } from '../../relay/testkit/stream-inspection';
import { sdk } from '../support/api-client';
import { frameSizeRuns, frozenSpans, longestDtsGapMs, monotonic } from '../../relay/testkit/recording-analysis';
import { startRelay, waitFor, type RelayUnderTest } from '../support/relay-harness';
import { startStallableProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTlsProxy } from '../support/tls-proxy';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../admin/fixtures/self-signed-tls';

jest.setTimeout(180_000);

interface StreamView {
  status: string;
  hlsUrl: string | null;
  destinations: { id: string; name: string; status: string; lastError: { code: string; message: string } | null }[];
}

/**
 * "The audience never sees what the glasses do": real glasses-like publishes (test kit) through a real
 * relay (nginx-rtmp, the agent, FFmpeg) to real RTMP servers standing in for the platforms, judged by
 * the test kit's strict checker on what the sinks recorded.
 */
describe('relay: the broadcast survives the glasses', () => {
  let t: TestApp;
  let relay: RelayUnderTest;
  let sinks: RtmpSinks;
  let app: ReturnType<typeof sdk>;
  /** `tw` is reached over rtmps:// (TLS in front of the sink, a private CA the relay is told to trust). */
  let rtmps: Awaited<ReturnType<typeof startTlsProxy>>;

  beforeAll(async () => {
    t = await startTestApp({ RTMP_RELAY_URLS: '', RTMP_RELAY_HLS_URLS: '', ALLOW_PRIVATE_DESTINATIONS: 'true' });
    app = sdk(t.app, (await t.createTenant('Glasses')).apiKey);
    const caFile = path.join(mkdtempSync(path.join(tmpdir(), 'relay-ca-')), 'ca.pem');
    writeFileSync(caFile, TEST_TLS_CERT);
    [relay, sinks] = await Promise.all([
      startRelay(t.baseUrl, { RELAY_TLS_CA_FILE: caFile }),
      startRtmpSinks({ apps: ['yt', 'tw'], recordUnique: true }),
    ]);
    rtmps = await startTlsProxy(sinks.port, { cert: TEST_TLS_CERT, key: TEST_TLS_KEY });
  });

  afterAll(async () => {
    await rtmps?.close();
    await relay?.stop();
    await sinks?.stop({ removeFiles: true });
    await t?.close();
  });

  const view = async (streamId: string): Promise<StreamView> =>
    (await app.get(`/api/managed-streams/${streamId}`)).body as StreamView;

  /** Every status the API showed, in order (polled every 150 ms until `stop`). */
  function watchStatuses(streamId: string): { seen: string[]; destinationStates: Set<string>; stop(): void } {
    const seen: string[] = [];
    const destinationStates = new Set<string>();
    let polling = true;
    void (async () => {
      while (polling) {
        const current = await view(streamId).catch(() => null);
        if (current && seen.at(-1) !== current.status) seen.push(current.status);
        current?.destinations?.forEach((d) => destinationStates.add(d.status));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    return { seen, destinationStates, stop: () => (polling = false) };
  }

  async function startStream(body: Record<string, unknown>, keys: Record<'yt' | 'tw', string | null>) {
    const restreamDestinations = (['yt', 'tw'] as const)
      .filter((app) => keys[app])
      .map((app) => ({
        url: app === 'tw' ? `rtmps://127.0.0.1:${rtmps.port}/tw/${keys.tw}` : sinks.urlFor(app, keys[app]!),
        name: app,
      }));
    const started = await app.startStream({ restreamDestinations, ...body });
    expect(started.status).toBe(201);
    return started.body as { streamId: string; ingestUrl: string };
  }

  async function stopStream(streamId: string): Promise<void> {
    expect((await app.delete(`/api/managed-streams/${streamId}`)).status).toBeLessThan(300);
    await waitFor('the relay to end the stream', async () => (await view(streamId)).status === 'stopped', 20_000);
  }

  const key = (name: string): string => `${name}-${randomBytes(6).toString('hex')}`;

  it('keeps every destination in one session through a 10 s drop, with the slate on air and live pictures back at once', async () => {
    const keys = { yt: key('yt'), tw: key('tw') };
    const { streamId, ingestUrl } = await startStream({ userId: 'drop@example.com', reconnectWindowSeconds: 60 }, keys);
    const statuses = watchStatuses(streamId);
    const glasses = publishGlasses(ingestUrl, { seed: 11, durationSec: 30, drops: [{ atSec: 8, forSec: 10 }] });
    await glasses.started;
    await waitFor('the stream to be active', async () => (await view(streamId)).status === 'active');

    // No process on this machine shows a destination key: not in its command line, not in its environment.
    await waitFor('both destinations broadcasting', async () =>
      (await view(streamId)).destinations.every((d) => d.status === 'broadcasting'),
    );
    expect(processesShowing(Object.values(keys))).toEqual([]);

    const report = await glasses.done;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await stopStream(streamId);
    statuses.stop();

    expect(statuses.seen).toEqual(expect.arrayContaining(['active', 'reconnecting']));
    const firstActive = statuses.seen.indexOf('active');
    expect(statuses.seen.slice(firstActive, firstActive + 3)).toEqual(['active', 'reconnecting', 'active']);
    expect(['retrying', 'failed'].filter((state) => statuses.destinationStates.has(state))).toEqual([]);

    const drop = report.drops[0];
    const dropSec = (drop.returnedAt! - drop.droppedAt) / 1000;
    for (const app of ['yt', 'tw'] as const) {
      const sessions = sinks.recordingsFor(app, keys[app]);
      expect({ app, sessions: sessions.length }).toEqual({ app, sessions: 1 });
      const verdict = await checkStreamCleanliness(sessions[0], { seconds: 120 });
      expect({ app, reasons: verdict.reasons }).toEqual({ app, reasons: [] });
      const gaps = longestDtsGapMs(verdict.probe);
      expect(gaps.video).toBeLessThan(500);
      expect(gaps.audio).toBeLessThan(500);
      // The slate is a still picture: the longest freeze is the drop, and live pictures return within 1 s of the glasses.
      const slate = (await frozenSpans(sessions[0])).find((span) => span.end - span.start > dropSec / 2);
      expect(slate).toBeDefined();
      expect(slate!.end - slate!.start).toBeLessThan(dropSec + 1);
    }
  });

  it('takes the glasses back when their old connection went silent without closing', async () => {
    const keys = { yt: key('yt-silent'), tw: null };
    const { streamId, ingestUrl } = await startStream({ userId: 'silent@example.com', reconnectWindowSeconds: 60 }, keys);
    const uplink = await startStallableProxy(relay.config.RELAY_RTMP_PORT);
    const statuses = watchStatuses(streamId);
    const first = publishGlasses(ingestUrl.replace(`:${relay.config.RELAY_RTMP_PORT}/`, `:${uplink.port}/`), {
      seed: 15,
      durationSec: 30,
    });
    await first.started;
    await waitFor('the stream to be active', async () => (await view(streamId)).status === 'active');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    uplink.stall(); // the phone's uplink dies: nothing arrives, nothing is closed
    await waitFor('the slate to take over', async () => (await view(streamId)).status === 'reconnecting', 10_000);
    // The glasses come back on a new connection while nginx still holds the silent one.
    const second = publishGlasses(ingestUrl, { seed: 16, durationSec: 10 });
    await second.started;
    await waitFor('the stream to be active again', async () => (await view(streamId)).status === 'active', 10_000);
    await second.done;
    first.stop();
    await uplink.close();
    await first.done.catch(() => undefined);
    await stopStream(streamId);
    statuses.stop();
    expect(statuses.seen.slice(statuses.seen.indexOf('active'), statuses.seen.indexOf('active') + 3)).toEqual([
      'active',
      'reconnecting',
      'active',
    ]);
    const sessions = sinks.recordingsFor('yt', keys.yt);
    expect(sessions).toHaveLength(1);
    const verdict = await checkStreamCleanliness(sessions[0], { seconds: 120 });
    expect(verdict.reasons).toEqual([]);
  });

  it('ends the stream cleanly when the glasses stay away longer than the window', async () => {
    const keys = { yt: key('yt-window'), tw: null };
    const { streamId, ingestUrl } = await startStream({ userId: 'gone@example.com', reconnectWindowSeconds: 3 }, keys);
    const glasses = publishGlasses(ingestUrl, { seed: 12, durationSec: 10 });
    await glasses.done;
    const leftAt = Date.now();
    const ended = await waitFor('the window to run out', async () => {
      const current = await view(streamId);
      return current.status === 'stopped' && current;
    });
    const endedAfterSec = (Date.now() - leftAt) / 1000;
    expect(endedAfterSec).toBeGreaterThan(2.5);
    expect(endedAfterSec).toBeLessThan(12); // the window, then a graceful stop of the encoder and sessions
    expect(JSON.stringify(ended)).toMatch(/did not come back within 3 s/);
    expect(ended.destinations.map((d) => d.status)).toEqual(['stopped']);
    const sessions = sinks.recordingsFor('yt', keys.yt);
    expect(sessions).toHaveLength(1);
    const verdict = await checkStreamCleanliness(sessions[0], { seconds: 60 });
    expect(verdict.reasons).toEqual([]);
  });

  const shapes: { name: string; quality: string; glasses: GlassesOptions; size: string }[] = [
    {
      name: 'no audio at 4 fps, a size change to 4:3 and a re-sent SPS, at 480p',
      quality: '480p',
      glasses: {
        audio: 'none',
        fps: 4,
        resizes: [
          { atSec: 4, size: '640x480' },
          { atSec: 8, size: '640x480' },
        ],
      },
      size: '854x480',
    },
    {
      name: 'portrait, 48 kHz stereo, sound alone for the first 3 s',
      quality: '720p',
      glasses: { size: '720x1280', audio: 'stereo48', audioOnlyForSec: 3 },
      size: '720x1280',
    },
    {
      name: 'wandering frame rate with a span of video only, at 1080p',
      quality: '1080p',
      glasses: { videoOnly: [{ atSec: 4, forSec: 3 }] },
      size: '1920x1080',
    },
  ];

  it.each(shapes)('turns $name into clean output of one size', async ({ quality, glasses: shape, size }) => {
    const keys = { yt: key('yt-shape'), tw: null };
    const { streamId, ingestUrl } = await startStream({ userId: `shape-${quality}@example.com`, quality }, keys);
    await publishGlasses(ingestUrl, { seed: 13, durationSec: 12, ...shape }).done;
    await stopStream(streamId);
    const [recording] = sinks.recordingsFor('yt', keys.yt);
    const sink = await checkStreamCleanliness(recording, { seconds: 60 });
    expect(sink.reasons).toEqual([]);
    expect((await frameSizeRuns(recording)).map((run) => run.size)).toEqual([size]);
    const playlist = (await view(streamId)).hlsUrl;
    const hls = await checkStreamCleanliness(playlist!, { seconds: 60 });
    expect(hls.reasons).toEqual([]);
  });

  it('hides a killed and a stalled encoder: the same sessions, timestamps moving on, media back within 3 s', async () => {
    const keys = { yt: key('yt-enc'), tw: key('tw-enc') };
    const { streamId, ingestUrl } = await startStream({ userId: 'encoder@example.com', reconnectWindowSeconds: 60 }, keys);
    const statuses = watchStatuses(streamId);
    const glasses = publishGlasses(ingestUrl, { seed: 14, durationSec: 26 });
    await glasses.started;
    await waitFor('both destinations broadcasting', async () =>
      (await view(streamId)).destinations.every((d) => d.status === 'broadcasting'),
    );
    const restartsBefore = await encoderRestarts();

    await new Promise((resolve) => setTimeout(resolve, 3000));
    const first = encoderPid(streamId);
    process.kill(first, 'SIGKILL');
    await waitFor('a new encoder', async () => encoderPidOrNull(streamId) !== null && encoderPid(streamId) !== first, 5000);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const second = encoderPid(streamId);
    process.kill(second, 'SIGSTOP');
    await waitFor(
      'the stalled encoder to be replaced',
      async () => encoderPidOrNull(streamId) !== null && encoderPid(streamId) !== second,
      5000,
    );

    await new Promise((resolve) => setTimeout(resolve, 3000));
    // While the glasses were there, the faults stayed inside the relay: never `reconnecting`, no destination retrying.
    const whileLive = [...statuses.seen];
    expect(['retrying', 'failed'].filter((state) => statuses.destinationStates.has(state))).toEqual([]);
    await glasses.done;
    await stopStream(streamId);
    statuses.stop();
    expect(await encoderRestarts()).toBeGreaterThanOrEqual(restartsBefore + 2);
    expect(whileLive.slice(whileLive.indexOf('active'))).toEqual(['active']);
    for (const app of ['yt', 'tw'] as const) {
      const sessions = sinks.recordingsFor(app, keys[app]);
      expect({ app, sessions: sessions.length }).toEqual({ app, sessions: 1 });
      const probe = (await checkStreamCleanliness(sessions[0], { seconds: 120 })).probe;
      expect(monotonic(probe)).toBe(true);
      expect(longestDtsGapMs(probe).video).toBeLessThan(3000);
      expect(probe.packets.filter((p) => p.codecType === 'video').length).toBeGreaterThan(18 * 30);
    }
  });

  function encoderPidOrNull(streamId: string): number | null {
    try {
      return Number(readFileSync(path.join(relay.config.RELAY_WORK_DIR, 'run', `${streamId}-encoder.pid`), 'utf8'));
    } catch {
      return null;
    }
  }

  function encoderPid(streamId: string): number {
    const pid = encoderPidOrNull(streamId);
    if (!pid) throw new Error('no encoder pid file');
    return pid;
  }

  async function encoderRestarts(): Promise<number> {
    const metrics = await (await fetch(`http://127.0.0.1:${relay.config.RELAY_CONTROL_PORT}/metrics`)).text();
    return Number(/relay_process_restarts_total\{kind="encoder"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  }
});

/** pid and file of every /proc entry whose command line or environment holds one of `secrets`. */
function processesShowing(secrets: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    for (const file of ['cmdline', 'environ']) {
      let text = '';
      try {
        text = readFileSync(`/proc/${pid}/${file}`, 'latin1');
      } catch {
        continue; // gone, or not ours to read
      }
      if (secrets.some((secret) => text.includes(secret))) found.push(`${pid}/${file}`);
    }
  }
  return found;
}
