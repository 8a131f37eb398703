import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { randomBytes } from 'node:crypto';
import { generateDirtyStream } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream } from '../../relay/testkit/dirty-stream-plan';
import { publishDirtyStream } from '../../relay/testkit/dirty-stream-publisher';
import type { DirtyStream } from '../../relay/testkit/dirty-stream-timeline';
import { connectRtmpPublisher } from '../../relay/testkit/rtmp-publisher';
import { RtmpSinks, startRtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { checkStreamCleanliness } from '../../relay/testkit/stream-inspection';
import { sdk } from '../support/api-client';
import { RelayUnderTest, startRelay, waitFor } from '../support/relay-harness';
import { StallableProxy, startStallableProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

interface StreamView {
  status: string;
  hlsReady: boolean;
  hlsUrl: string;
  destinations: { id: string; name: string; status: string; lastError: { code: string; message: string } | null }[];
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function ffmpegProcessesFor(streamId: string): number {
  try {
    return execFileSync('pgrep', ['-f', `ffmpeg.*${streamId}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
}

/**
 * One dirty glasses stream through a real relay (nginx-rtmp + FFmpeg) to two real RTMP sinks
 * standing in for YouTube and Twitch, and to HLS; the scenario runs in order, as a stream's life would.
 */
describe('relay: dirty glasses stream in, clean streams out', () => {
  let t: TestApp;
  let relay: RelayUnderTest;
  let youtube: RtmpSinks;
  let twitch: RtmpSinks;
  let twitchProxy: StallableProxy;
  let app: ReturnType<typeof sdk>;
  let dirty: DirtyStream;
  const publishing = new AbortController();
  let reconnected: AbortController | null = null;
  let published: Promise<unknown> = Promise.resolve();
  let streamId = '';
  let ingestUrl = '';

  const view = async (): Promise<StreamView> => (await app.get(`/api/managed-streams/${streamId}`)).body as StreamView;
  const destination = async (name: string) => (await view()).destinations.find((d) => d.name === name)!;

  beforeAll(async () => {
    t = await startTestApp({ RTMP_RELAY_URLS: '', RTMP_RELAY_HLS_URLS: '', ALLOW_PRIVATE_DESTINATIONS: 'true' });
    app = sdk(t.app, (await t.createTenant('Glasses')).apiKey);
    [relay, youtube, twitch, dirty] = await Promise.all([
      startRelay(t.baseUrl),
      startRtmpSinks({ apps: ['youtube'] }),
      startRtmpSinks({ apps: ['twitch', 'late'] }),
      generateDirtyStream(planDirtyStream(20261121, 30)),
    ]);
    twitchProxy = await startStallableProxy(twitch.port);
  });

  afterAll(async () => {
    publishing.abort();
    reconnected?.abort();
    await published.catch(() => undefined);
    await relay?.stop();
    await Promise.all([youtube?.stop({ removeFiles: true }), twitch?.stop({ removeFiles: true }), twitchProxy?.close()]);
    await t?.close();
  });

  it('refuses a publish with a wrong or missing key', async () => {
    const started = await app.startStream({ userId: 'intruder-target@example.com' });
    const url = new URL(started.body.ingestUrl as string);
    url.searchParams.set('key', 'pk_wrong');
    await expect(connectRtmpPublisher(url.toString())).rejects.toThrow();
    url.search = '';
    await expect(connectRtmpPublisher(url.toString())).rejects.toThrow();
  });

  it('carries a dirty publish to two sinks and to HLS, all three clean', async () => {
    const started = await app.startStream({
      userId: 'glasses-wearer@example.com',
      restreamDestinations: [
        { url: youtube.urlFor('youtube', 'yt-stream-key'), name: 'YouTube' },
        { url: `rtmp://127.0.0.1:${twitchProxy.port}/twitch/tw-stream-key`, name: 'Twitch' },
      ],
    });
    expect(started.status).toBe(201);
    ({ streamId, ingestUrl } = started.body as { streamId: string; ingestUrl: string });
    expect(ingestUrl.startsWith(`rtmp://127.0.0.1:${relay.config.RELAY_RTMP_PORT}/live/`)).toBe(true);

    published = publishDirtyStream(dirty, ingestUrl, { loop: true, signal: publishing.signal });
    const ready = await waitFor('the API to see the stream active, HLS ready and both destinations broadcasting', async () => {
      const current = await view();
      return (
        current.status === 'active' &&
        current.hlsReady &&
        current.destinations.every((d) => d.status === 'broadcasting') &&
        current
      );
    });
    expect(ready.hlsUrl).toBe(relay.hlsUrl(new URL(ready.hlsUrl).pathname));

    // The testkit proves the generator's output FAILS the checker; what the relay sends PASSES.
    const [hls, yt, tw] = await Promise.all([
      checkStreamCleanliness(ready.hlsUrl, { seconds: 12 }),
      checkStreamCleanliness(`rtmp://127.0.0.1:${youtube.port}/youtube/yt-stream-key`, { seconds: 12 }),
      checkStreamCleanliness(`rtmp://127.0.0.1:${twitch.port}/twitch/tw-stream-key`, { seconds: 12 }),
    ]);
    expect({ hls: hls.reasons, youtube: yt.reasons, twitch: tw.reasons }).toEqual({ hls: [], youtube: [], twitch: [] });
  });

  it('keeps the other sink and HLS going while one sink is down, and reconnects it when it returns', async () => {
    const twitchRecording = twitch.recordingFor('twitch', 'tw-stream-key');
    const port = youtube.port;
    await youtube.stop();
    const errored = await waitFor('YouTube to be reported retrying', async () => {
      const d = await destination('YouTube');
      return d.status === 'retrying' && d;
    });
    // The session it had was cut (disconnected); each try since finds the port closed (connection_refused).
    expect(['disconnected', 'connection_refused']).toContain(errored.lastError?.code);
    const before = sizeOf(twitchRecording);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(sizeOf(twitchRecording)).toBeGreaterThan(before);
    expect((await destination('Twitch')).status).toBe('broadcasting');

    youtube = await startRtmpSinks({ apps: ['youtube'], port });
    const back = Date.now();
    await waitFor('YouTube to broadcast again', async () => (await destination('YouTube')).status === 'broadcasting', 10_000);
    process.stdout.write(`destination back ${Date.now() - back} ms after its sink returned\n`);
  });

  it('keeps the other sink and HLS going while a sink stops reading', async () => {
    twitchProxy.stall();
    const youtubeRecording = youtube.recordingFor('youtube', 'yt-stream-key');
    const before = sizeOf(youtubeRecording);
    const playlist = async () => (await fetch((await view()).hlsUrl)).text();
    const firstPlaylist = await playlist();
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(sizeOf(youtubeRecording)).toBeGreaterThan(before);
    expect(await playlist()).not.toBe(firstPlaylist);
    const stalled = await waitFor('Twitch to be reported stalled', async () => {
      const d = await destination('Twitch');
      return d.status === 'retrying' && d;
    });
    expect(stalled.lastError?.code).toBe('stalled');
    twitchProxy.resume();
    await waitFor('Twitch to broadcast again', async () => (await destination('Twitch')).status === 'broadcasting', 15_000);
  });

  it('starts a destination added while live', async () => {
    const added = await app.post(`/api/managed-streams/${streamId}/destinations`, {
      url: twitch.urlFor('late', 'late-key'),
      name: 'Late',
    });
    expect(added.status).toBe(201);
    const since = Date.now();
    await waitFor('the late destination to broadcast', async () => (await destination('Late')).status === 'broadcasting', 10_000);
    process.stdout.write(`added destination broadcasting ${Date.now() - since} ms after the API call\n`);
    await waitFor('the late sink to record', async () => sizeOf(twitch.recordingFor('late', 'late-key')) > 10_000);
  });

  it('refuses a second publisher on a live path and survives random bytes on the RTMP port', async () => {
    await expect(connectRtmpPublisher(ingestUrl)).rejects.toThrow();
    await new Promise<void>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: relay.config.RELAY_RTMP_PORT }, () => {
        socket.end(randomBytes(64 * 1024));
      });
      socket.on('close', () => resolve()).on('error', () => resolve());
    });
    const playlist = async () => (await fetch((await view()).hlsUrl)).text();
    const first = await playlist();
    await waitFor('HLS to keep advancing', async () => (await playlist()) !== first, 8000);
    expect((await view()).status).toBe('active');
  });

  it('exposes Prometheus metrics for streams, destinations and the encoder', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${relay.config.RELAY_CONTROL_PORT}/metrics`)).text();
    expect(metrics).toMatch(/^relay_active_streams 1$/m);
    expect(metrics).toMatch(
      new RegExp(`relay_destination_state\\{stream="${streamId}",destination="[^"]+",state="broadcasting"\\} 1`),
    );
    expect(metrics).toMatch(/relay_destination_reconnects_total\{[^}]+\} [1-9]/);
    expect(metrics).toMatch(new RegExp(`relay_encoder_fps\\{stream="${streamId}"\\} (29|30)`));
    expect(metrics).toMatch(/relay_rtmp_connections \d+/);
    expect(metrics).toContain('relay_encoder_lag_seconds');
    expect(metrics).toContain('relay_encoder_duplicated_frames');
    expect(metrics).not.toContain('stream-key');
  });

  it('carries on when the glasses drop and reconnect', async () => {
    publishing.abort();
    await published.catch(() => undefined);
    await waitFor('the stream to wait for its publisher', async () => (await view()).status === 'reconnecting', 15_000);
    const again = new AbortController();
    published = publishDirtyStream(dirty, ingestUrl, { loop: true, signal: again.signal });
    reconnected = again;
    await waitFor(
      'the stream to be active with every destination broadcasting again',
      async () => {
        const current = await view();
        return current.status === 'active' && current.destinations.every((d) => d.status === 'broadcasting');
      },
      20_000,
    );
  });

  it('stops everything when the app stops the stream', async () => {
    expect(ffmpegProcessesFor(streamId)).toBeGreaterThan(0);
    await app.delete(`/api/managed-streams/${streamId}`);
    await waitFor('the stream to be stopped', async () => (await view()).status === 'stopped', 15_000);
    await waitFor('no FFmpeg of the stream left', async () => ffmpegProcessesFor(streamId) === 0, 10_000);
    reconnected?.abort();
    await published.catch(() => undefined);
  });
});
