import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProcess, stopAllProcesses, type ManagedProcess } from '../../testkit/child-process';
import { generateDirtyStream } from '../../testkit/dirty-stream-generator';
import { planDirtyStream } from '../../testkit/dirty-stream-plan';
import type { DirtyStream } from '../../testkit/dirty-stream-timeline';
import { publishDirtyStream } from '../../testkit/dirty-stream-publisher';
import { parseFlv } from '../../testkit/flv-tags';
import { findFreePort, findRtmpModule } from '../../testkit/rtmp-sinks';
import { checkStreamCleanliness } from '../../testkit/stream-inspection';
import { buildEncoderArgs } from './encoder-args';
import { buildForwarderArgs } from './forwarder-args';
import { feedProgress, INITIAL_PROGRESS_STATE, type ProgressSnapshot } from './progress-parser';

/**
 * The real thing: the test kit's glasses publish ~20 s of dirty stream (wandering 9-15 fps, keyframes
 * 70 ms to >5 s apart, a forward and a backward clock jump) to nginx-rtmp `live`; our encoder turns it
 * into HLS plus a clean stream on `clean`; one forwarder copies that to a `sink` application that
 * records what it gets. The checker must fail the raw input and pass both outputs.
 * nginx runs with the module's defaults (wait_key on, wait_video off), like the relay's own conf.
 */

const SEED = 7;
const PASS_SEC = 20;
const STREAM_ID = 'stream-42';
const USER = 'user-7';

interface FfmpegChild {
  child: ChildProcess;
  snapshots: ProgressSnapshot[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: FfmpegChild[] = [];

function runFfmpeg(args: string[]): FfmpegChild {
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const snapshots: ProgressSnapshot[] = [];
  let state = INITIAL_PROGRESS_STATE;
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const fed = feedProgress(state, chunk);
    state = fed.state;
    snapshots.push(...fed.snapshots);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ff = { child, snapshots, stderr: () => stderr, exited };
  children.push(ff);
  return ff;
}

/**
 * SIGINT ends FFmpeg cleanly (HLS gets its ENDLIST) while its input still flows. Blocked on a dead
 * read or write it only notes the first signal; the second one interrupts the I/O.
 */
async function stopFfmpeg(ff: FfmpegChild): Promise<void> {
  if (ff.child.exitCode !== null || ff.child.signalCode !== null) return;
  ff.child.kill('SIGINT');
  const escalate = [setTimeout(() => ff.child.kill('SIGINT'), 3000), setTimeout(() => ff.child.kill('SIGKILL'), 6000)];
  await ff.exited;
  escalate.forEach(clearTimeout);
}

/** CPU seconds (user + system) so far, and peak RSS in MB. */
function usage(pid: number | undefined): { cpuSec: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSec: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function nginxConf(workDir: string, port: number): string {
  const record = (app: string): string => `record all; record_path ${join(workDir, 'rec', app)}; record_unique off;`;
  return `load_module ${findRtmpModule()};
daemon off; master_process off; worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'error.log')} info;
events { worker_connections 256; }
rtmp {
    server {
        listen 127.0.0.1:${port};
        chunk_size 4096;
        application live { live on; ${record('live')} }
        application clean { live on; }
        application sink { live on; ${record('sink')} }
    }
}
`;
}

/** The first media file nginx recorded for an application (stream names are escaped in file names). */
function recording(workDir: string, app: string): string | undefined {
  const dir = join(workDir, 'rec', app);
  const name = readdirSync(dir).find((n) => n.endsWith('.flv'));
  return name && join(dir, name);
}

function hasVideoKeyframe(path: string | undefined): boolean {
  if (!path || !existsSync(path)) return false;
  // FLV video tag: first data byte = frame type (high nibble, 1 = key) | codec id (7 = AVC); then AVC packet type 1 = NALUs.
  return parseFlv(readFileSync(path)).tags.some((t) => t.kind === 'video' && t.data[0] === 0x17 && t.data[1] === 1);
}

async function waitForListening(port: number, nginx: ManagedProcess): Promise<void> {
  const connects = (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(50)) {
    if (!nginx.isRunning()) break;
    if (await connects()) return;
  }
  throw new Error(`nginx-rtmp is not listening on ${port}: ${nginx.stderrTail()}`);
}

function alive(ff: FfmpegChild, name: string): FfmpegChild {
  if (ff.child.exitCode !== null || ff.child.signalCode !== null) throw new Error(`${name} exited early: ${ff.stderr()}`);
  return ff;
}

function listsSegment(playlist: string): boolean {
  return existsSync(playlist) && /\.ts$/m.test(readFileSync(playlist, 'utf8'));
}

describe('encoder + forwarder on a dirty glasses stream (real FFmpeg and nginx-rtmp)', () => {
  let workDir: string;
  let port: number;
  let nginx: ManagedProcess;
  let stream: DirtyStream;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'relay-pipeline-'));
    for (const app of ['live', 'sink']) mkdirSync(join(workDir, 'rec', app), { recursive: true });
    port = await findFreePort();
    await writeFile(join(workDir, 'nginx.conf'), nginxConf(workDir, port));
    nginx = startProcess('nginx', ['-p', workDir, '-e', join(workDir, 'error.log'), '-c', join(workDir, 'nginx.conf')]);
    stream = await generateDirtyStream(planDirtyStream(SEED, PASS_SEC)); // renders faster than real time, ~3 s
    await waitForListening(port, nginx);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(children.map(stopFfmpeg));
    await nginx?.stop(3000);
    await stopAllProcesses();
    // No orphans: every FFmpeg here names our port, nginx our work directory.
    const leftovers = [`127.0.0.1:${port}`, workDir].flatMap((pattern) =>
      spawnSync('pgrep', ['-af', pattern], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean),
    );
    await rm(workDir, { recursive: true, force: true });
    expect(leftovers).toEqual([]);
  }, 20_000);

  it('fails the raw input and passes HLS and what the destination receives', async () => {
    const base = `rtmp://127.0.0.1:${port}`;
    const hlsDir = join(workDir, 'hls', STREAM_ID);
    const playlist = join(hlsDir, 'index.m3u8');
    mkdirSync(hlsDir, { recursive: true });
    // As after on_publish: encoder and forwarder wait as players before the first frame reaches nginx.
    const encoder = runFfmpeg(
      buildEncoderArgs({
        inputUrl: `${base}/live/${USER}/${STREAM_ID}`,
        hlsDir,
        cleanOutputUrl: `${base}/clean/${STREAM_ID}`,
        quality: '720p',
      }),
    );
    const forwarder = runFfmpeg(
      buildForwarderArgs({ sourceUrl: `${base}/clean/${STREAM_ID}`, destinationUrl: `${base}/sink/${STREAM_ID}` }),
    );
    await sleep(500);

    const abort = new AbortController();
    const t0 = performance.now();
    const cpu0 = {
      encoder: usage(alive(encoder, 'encoder').child.pid).cpuSec,
      forwarder: usage(alive(forwarder, 'forwarder').child.pid).cpuSec,
    };
    const publishing = publishDirtyStream(stream, `${base}/live/${USER}/${STREAM_ID}`, { loop: true, signal: abort.signal });
    let firstHlsMs: number | undefined;
    let firstSinkMs: number | undefined;
    let hlsVerdict: ReturnType<typeof checkStreamCleanliness> | undefined;
    // One full pass (every defect) plus a second for the encoder to flush it.
    while (performance.now() - t0 < (PASS_SEC + 1) * 1000) {
      const now = performance.now() - t0;
      if (firstHlsMs === undefined && listsSegment(playlist)) firstHlsMs = now;
      if (firstSinkMs === undefined && hasVideoKeyframe(recording(workDir, 'sink'))) firstSinkMs = now;
      // Read the live playlist from its first segment on, as a player would, until ENDLIST.
      hlsVerdict ??= existsSync(playlist) ? checkStreamCleanliness(playlist, { seconds: 60, timeoutMs: 60_000 }) : undefined;
      alive(encoder, 'encoder');
      alive(forwarder, 'forwarder');
      await sleep(50);
    }
    const elapsedSec = (performance.now() - t0) / 1000;
    const encoderUsage = usage(encoder.child.pid);
    const forwarderUsage = usage(forwarder.child.pid);

    // Stop downstream first, while each one's input still flows, so every stop is a clean one.
    await stopFfmpeg(forwarder);
    await stopFfmpeg(encoder);
    abort.abort();
    await publishing;

    const hls = await hlsVerdict;
    const sink = await checkStreamCleanliness(recording(workDir, 'sink') ?? 'missing sink recording', { seconds: 60 });
    const raw = await checkStreamCleanliness(recording(workDir, 'live') ?? 'missing raw recording', { seconds: 60 });
    const figures = {
      firstHlsSegmentMs: firstHlsMs && Math.round(firstHlsMs),
      firstSinkKeyframeMs: firstSinkMs && Math.round(firstSinkMs),
      encoderCpuPct: Math.round(((encoderUsage.cpuSec - cpu0.encoder) / elapsedSec) * 1000) / 10,
      encoderPeakRssMb: Math.round(encoderUsage.peakRssMb),
      forwarderCpuPct: Math.round(((forwarderUsage.cpuSec - cpu0.forwarder) / elapsedSec) * 1000) / 10,
      forwarderPeakRssMb: Math.round(forwarderUsage.peakRssMb),
      rawFailed: raw.checks.filter((c) => !c.ok).map((c) => c.id),
    };
    process.stdout.write(`pipeline figures: ${JSON.stringify(figures)}\n`);

    expect(raw.clean).toBe(false);
    expect(figures.rawFailed).toEqual(expect.arrayContaining(['video.cfr', 'video.gop', 'video.timestamps', 'audio.timestamps']));
    expect(hls?.reasons).toEqual([]);
    expect(sink.reasons).toEqual([]);
    expect(hls?.probe.packets.length).toBeGreaterThan(1000); // ~20 s of video and audio, not just the last segments
    expect(firstHlsMs).toBeLessThan(6000);
    expect(firstSinkMs).toBeLessThan(4000);

    // The encoder's own account, through the progress parser: 30 fps out, about 2/3 of it duplicates.
    const last = encoder.snapshots.at(-1);
    expect(last).toMatchObject({ ended: true, dropFrames: expect.any(Number) });
    expect(last?.outTimeMs).toBeGreaterThan((PASS_SEC - 1) * 1000);
    expect((last?.frame ?? 0) / ((last?.outTimeMs ?? 1) / 1000)).toBeCloseTo(30, 0);
    expect(forwarder.snapshots.at(-1)).toMatchObject({ ended: true });
  }, 90_000);
});
