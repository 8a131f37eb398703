import { describeEvent, runGlassesApp, TWITCH_INGEST_URL, YOUTUBE_INGEST_URL } from '../../examples/glasses-app/main';
import type { ManagedStream } from '@glasses-restream/client';
import { relay } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

async function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 8_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = lines.find((line) => pattern.test(line));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No line matching ${String(pattern)} in:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('examples/glasses-app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('starts a stream to YouTube and Twitch, prints the ingest URL and each status change, and stops on Ctrl-C', async () => {
    const { apiKey } = await t.createTenant('Example glasses app');
    const lines: string[] = [];
    const ctrlC = new AbortController();
    const userId = 'example-wearer@example.com';
    // Whatever happens, Ctrl-C at the end so the app closes its event stream and stops the stream.
    let running: Promise<void> | undefined;
    try {
      running = runGlassesApp({
        apiUrl: t.baseUrl,
        apiKey,
        userId,
        youtubeStreamKey: 'yt-example-key-0001',
        twitchStreamKey: 'live_example_0002',
        signal: ctrlC.signal,
        log: (line) => lines.push(line),
      });

      const ingestLine = await waitForLine(lines, /^ {2}rtmp:\/\//);
      const listed = await fetch(`${t.baseUrl}/api/managed-streams?userId=${userId}`, { headers: { 'x-api-key': apiKey } });
      const [stream] = ((await listed.json()) as { streams: ManagedStream[] }).streams;
      expect(ingestLine.trim()).toBe(stream.ingestUrl);
      expect(stream.destinations.map((d) => [d.name, d.url])).toEqual([
        ['YouTube', YOUTUBE_INGEST_URL],
        ['Twitch', TWITCH_INGEST_URL],
      ]);
      expect(lines.join('\n')).not.toMatch(/yt-example-key-0001|live_example_0002/);

      await waitForLine(lines, /^stream: connecting/);
      const twitch = stream.destinations[1];
      await relay(t.app).post('/stream-status', {
        userId,
        streamId: stream.streamId,
        status: 'active',
        destinations: [{ id: twitch.id, status: 'broadcasting' }],
      });
      await waitForLine(lines, /^stream: active/);
      await waitForLine(lines, /^destination Twitch: broadcasting/);
    } finally {
      ctrlC.abort();
      await running;
    }
    expect(lines[lines.length - 1]).toMatch(/^Stopped: stream is (stopping|stopped)$/);
    const after = await fetch(`${t.baseUrl}/api/managed-streams?userId=${userId}&status=live`, {
      headers: { 'x-api-key': apiKey },
    });
    expect(((await after.json()) as { streams: ManagedStream[] }).streams).toEqual([]);
  }, 30_000);

  it('describes events for people', () => {
    const base = { id: '1', streamId: 's', appId: null, reason: null, data: null, createdAt: '' };
    const names = new Map([['d1', 'YouTube']]);
    expect(
      describeEvent({ ...base, destinationId: 'd1', type: 'destination.status', status: 'retrying', reason: 'refused' }, names),
    ).toBe('destination YouTube: retrying (refused)');
    expect(
      describeEvent({
        ...base,
        destinationId: null,
        type: 'stream.playback',
        status: 'hls_ready',
        data: { hlsUrl: 'http://h/x.m3u8' },
      }),
    ).toBe('stream: playback ready at http://h/x.m3u8');
    expect(describeEvent({ ...base, destinationId: null, type: 'stream.app_attached', status: null })).toBe(
      'stream: app attached',
    );
  });
});
