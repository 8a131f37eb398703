import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runningProcessCount, runProcess, startProcess, stopAllProcesses } from './child-process';
import type { CheckId, CleanlinessVerdict } from './cleanliness-checker';
import { measureDirtiness } from './dirtiness-report';
import { generateDirtyStream, writeDirtyFlv } from './dirty-stream-generator';
import { planDirtyStream, summarizePlan, type DirtyStreamPlan } from './dirty-stream-plan';
import { publishDirtyStream } from './dirty-stream-publisher';
import { cleanEncodeArgs, replayFileArgs } from './ffmpeg-args';
import { probePackets } from './ffprobe-packets';
import { startRtmpSinks, type RtmpSinks } from './rtmp-sinks';
import { checkStreamCleanliness } from './stream-inspection';

/**
 * Real FFmpeg and nginx-rtmp, one 12 s dirty stream published four ways at once:
 *  - ingest:  our RTMP publisher (timestamps exactly as planned), which a clean FFmpeg encode pulls live
 *             and pushes to `youtube` (FLV) and an HLS folder: the stand-in for the relay;
 *  - ffmpeg:  FFmpeg as publisher (`-c copy` from a pipe);
 *  - replay:  the written .flv replayed with `-re -c copy`, as the benchmark will.
 * The checker must fail every raw copy and pass both clean outputs.
 */

const SEED = 42;
const DURATION_SEC = 12;
const KEY = 'glasses-1';

/** Waits for `promise` at most `ms`, without leaving a timer behind. */
async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  const abort = new AbortController();
  await Promise.race([promise, delay(ms, undefined, { signal: abort.signal }).catch(() => undefined)]);
  abort.abort();
}

const failedIds = (v: CleanlinessVerdict): CheckId[] => v.checks.filter((c) => !c.ok).map((c) => c.id);

describe('dirty glasses stream vs clean re-encode (real FFmpeg + nginx-rtmp)', () => {
  let sinks: RtmpSinks;
  let plan: DirtyStreamPlan;
  let dirtyFile: string;
  let hlsPlaylist: string;
  let liveVerdict: CleanlinessVerdict;
  let liveCleanVerdict: CleanlinessVerdict;

  beforeAll(async () => {
    sinks = await startRtmpSinks({ apps: ['ingest', 'ffmpeg', 'replay', 'youtube'] });
    plan = planDirtyStream(SEED, DURATION_SEC);
    const stream = await generateDirtyStream(plan);
    dirtyFile = join(sinks.workDir, 'dirty.flv');
    await writeDirtyFlv(stream, dirtyFile);
    await mkdir(join(sinks.workDir, 'hls'));
    hlsPlaylist = join(sinks.workDir, 'hls', 'index.m3u8');

    // Joined before the publish: nginx-rtmp gives a player that joins mid-stream no video until the
    // next keyframe, which in this stream can be seconds away.
    const encoder = startProcess(
      'ffmpeg',
      cleanEncodeArgs(
        sinks.urlFor('ingest', KEY),
        [
          { format: 'flv', target: sinks.urlFor('youtube', KEY) },
          { format: 'hls', target: hlsPlaylist },
        ],
        { live: true },
      ),
    );
    await sinks.waitForPlayer(KEY);
    // Also joined early, and patient: the encoder's first output comes after its ~5 s input probe.
    const liveClean = checkStreamCleanliness(sinks.urlFor('youtube', KEY), { seconds: 10, readTimeoutMs: 15_000 });
    const publishing = Promise.all([
      publishDirtyStream(stream, sinks.urlFor('ingest', KEY)),
      publishDirtyStream(stream, sinks.urlFor('ffmpeg', KEY), { publisher: 'ffmpeg' }),
      runProcess('ffmpeg', replayFileArgs(dirtyFile, sinks.urlFor('replay', KEY)), 60_000),
    ]);
    const live = delay(1000).then(() => checkStreamCleanliness(sinks.urlFor('ingest', KEY), { seconds: 8 }));
    // Awaited together so that an early failure of any of them is reported, not left unhandled.
    const [[, , replay], dirtyLive, cleanLive] = await Promise.all([publishing, live, liveClean]);
    expect(replay.code).toBe(0);
    liveVerdict = dirtyLive;
    liveCleanVerdict = cleanLive;
    // The encoder notices the end only through its read timeout (~6 s); SIGINT finishes the files cleanly too.
    await raceTimeout(encoder.exited, 8000);
    const exit = await encoder.stop(5000);
    expect(exit.signal).not.toBe('SIGKILL');
  }, 90_000);

  afterAll(async () => {
    await stopAllProcesses();
    await sinks?.stop({ removeFiles: true });
    expect(runningProcessCount()).toBe(0);
  });

  describe('raw dirty stream', () => {
    it('fails the checker on the recording of our publisher, for the planned reasons only', async () => {
      const verdict = await checkStreamCleanliness(sinks.recordingFor('ingest', KEY), { seconds: 60 });
      expect(verdict.clean).toBe(false);
      expect(failedIds(verdict)).toEqual(['video.cfr', 'video.gop', 'video.timestamps', 'audio.timestamps', 'audio.gaps']);
      expect(verdict.reasons.join('\n')).toMatch(/video.timestamps: 1 backward DTS steps/);
    });

    it('proves its own dirtiness as received by the server, matching the plan', async () => {
      const report = measureDirtiness(await probePackets(sinks.recordingFor('ingest', KEY), { seconds: 60 }));
      const planned = summarizePlan(plan);
      expect(report.videoFrames).toBe(planned.frameCount);
      expect(report.fps?.min).toBeGreaterThanOrEqual(8);
      expect(report.fps?.max).toBeLessThanOrEqual(16);
      expect(report.defects).toEqual({
        wanderingFps: true,
        keyframesUnder100Ms: true,
        keyframeGapOver5s: true,
        forwardJump: true,
        backwardJump: true,
        frozenTimestamps: false,
      });
      expect(report.keyframeIntervalMs?.min).toBeCloseTo(70, -1);
      // Each jump shows up as planned, plus one frame interval.
      const [forward] = report.video.forwardJumps;
      const [backward] = report.video.backwardJumps;
      expect(forward.deltaMs - planned.forwardJumpsMs[0]).toBeGreaterThan(0);
      expect(forward.deltaMs - planned.forwardJumpsMs[0]).toBeLessThan(150);
      expect(backward.deltaMs - planned.backwardJumpsMs[0]).toBeGreaterThan(0);
      expect(backward.deltaMs - planned.backwardJumpsMs[0]).toBeLessThan(150);
    });

    it('writes a .flv file that carries exactly the planned timestamps', async () => {
      const probe = await probePackets(dirtyFile, { seconds: 60 });
      const video = probe.packets.filter((p) => p.codecType === 'video');
      expect(video.map((p) => p.dtsMs)).toEqual(plan.frames.map((f) => f.dtsMs));
      expect(video.map((p) => p.keyframe)).toEqual(plan.frames.map((f) => f.keyframe));
    });

    it('with FFmpeg as publisher keeps the forward jump, but the backward one becomes frozen DTS', async () => {
      const recording = sinks.recordingFor('ffmpeg', KEY);
      const report = measureDirtiness(await probePackets(recording, { seconds: 60 }));
      expect(report.video.forwardJumps).toHaveLength(1);
      expect(report.video.backwardJumps).toHaveLength(0);
      expect(report.video.frozenSteps).toBeGreaterThan(5);
      expect((await checkStreamCleanliness(recording, { seconds: 60 })).reasons.join('\n')).toMatch(
        /video.timestamps: \d+ repeated DTS/,
      );
    });

    it('stays dirty when the file is replayed with -re -c copy (the benchmark path)', async () => {
      const verdict = await checkStreamCleanliness(sinks.recordingFor('replay', KEY), { seconds: 60 });
      expect(failedIds(verdict)).toEqual(expect.arrayContaining(['video.cfr', 'video.gop', 'video.timestamps']));
    });

    it('fails the checker read live from the RTMP URL', () => {
      expect(liveVerdict.clean).toBe(false);
      expect(failedIds(liveVerdict)).toEqual(expect.arrayContaining(['video.cfr', 'audio.gaps']));
    });
  });

  describe('clean re-encode of the same stream', () => {
    it('passes the checker on the recording of the RTMP output', async () => {
      const verdict = await checkStreamCleanliness(sinks.recordingFor('youtube', KEY), { seconds: 60 });
      expect(verdict.reasons).toEqual([]);
      expect(verdict.checks.find((c) => c.id === 'video.codec')?.detail).toMatch(/^h264 High level 4.1 1280x720/);
    });

    it('passes the checker read live from the RTMP URL', () => {
      expect(liveCleanVerdict.reasons).toEqual([]);
    });

    it('passes the checker on the HLS playlist', async () => {
      const verdict = await checkStreamCleanliness(hlsPlaylist, { seconds: 60 });
      expect(verdict.reasons).toEqual([]);
    });
  });
});
