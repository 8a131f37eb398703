import { setTimeout as delay } from 'node:timers/promises';
import { runningProcessCount, stopAllProcesses } from './child-process';
import type { ProbeResult, ProbedPacket } from './ffprobe-json';
import { probePackets } from './ffprobe-packets';
import { publishGlasses, type GlassesOptions, type GlassesPublish, type GlassesReport } from './glasses-publisher';
import { startRtmpSinks, type RtmpSinks } from './rtmp-sinks';
import { probeVideoShape, type VideoShape } from './video-shape-probe';

/**
 * Real FFmpeg renders and nginx-rtmp: four 10 s streams of different shapes published at once through
 * our publisher, each recorded by nginx (one file per publish), then read back with ffprobe to prove
 * the server really received that shape. ~20 s in all (renders in parallel, then 10 s of publishing).
 */

const SHAPES = {
  'no-audio': { audio: 'none', fps: 4 },
  portrait: { size: '720x1280', audio: 'stereo48', fps: 60, audioOnlyForSec: 3 },
  resize: {
    resizes: [
      { atSec: 4, size: '640x480' },
      { atSec: 7, size: '640x480' },
    ],
    videoOnly: [{ atSec: 5, forSec: 1.5 }],
  },
  drops: {
    drops: [
      { atSec: 3, forSec: 2 },
      { atSec: 6.5, forSec: 1.5, abrupt: true },
    ],
  },
} satisfies Record<string, GlassesOptions>;
type ShapeName = keyof typeof SHAPES;
const NAMES = Object.keys(SHAPES) as ShapeName[];

interface Received {
  glasses: GlassesPublish;
  report: GlassesReport;
  recordings: string[];
  probes: ProbeResult[];
}

const video = (p: ProbeResult): ProbedPacket[] => p.packets.filter((x) => x.codecType === 'video');
const audio = (p: ProbeResult): ProbedPacket[] => p.packets.filter((x) => x.codecType === 'audio');
const dts = (packets: readonly ProbedPacket[]): number[] => packets.map((x) => x.dtsMs ?? NaN);
const steps = (values: readonly number[]): number[] => values.slice(1).map((v, i) => v - values[i]);
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('glasses input shapes, as nginx-rtmp records them (real FFmpeg + nginx-rtmp)', () => {
  let sinks: RtmpSinks;
  const received = {} as Record<ShapeName, Received>;

  beforeAll(async () => {
    sinks = await startRtmpSinks({ apps: ['glasses'], recordUnique: true });
    const runs = NAMES.map((name) => {
      const glasses = publishGlasses(sinks.urlFor('glasses', name), { seed: 5, durationSec: 10, ...SHAPES[name] });
      return glasses.done.then((report) => ({ name, glasses, report }));
    });
    for (const { name, glasses, report } of await Promise.all(runs)) {
      await delay(200); // nginx closes the recording as it sees the publisher leave
      const recordings = sinks.recordingsFor('glasses', name);
      const probes = await Promise.all(recordings.map((file) => probePackets(file, { seconds: 60 })));
      received[name] = { glasses, report, recordings, probes };
    }
  }, 90_000);

  afterAll(async () => {
    await sinks?.stop({ removeFiles: true });
    await stopAllProcesses();
    expect(runningProcessCount()).toBe(0);
  });

  it('no audio track: the recording holds video only, every planned frame at 4 fps', () => {
    const { glasses, probes } = received['no-audio'];
    expect(probes).toHaveLength(1);
    expect(probes[0].streams.map((s) => s.codecType)).toEqual(['video']);
    expect(video(probes[0])).toHaveLength(glasses.plan.frames.length);
    expect(median(steps(dts(video(probes[0]))))).toBe(250);
  });

  it('portrait 720x1280 at 60 fps, AAC 48 kHz stereo, audio alone for the first 3 s', () => {
    const { glasses, probes } = received.portrait;
    const [probe] = probes;
    expect(probe.streams.find((s) => s.codecType === 'video')).toMatchObject({ width: 720, height: 1280 });
    expect(probe.streams.find((s) => s.codecType === 'audio')).toMatchObject({ sampleRate: 48000, channels: 2 });
    expect(video(probe)).toHaveLength(glasses.plan.frames.length);
    expect(median(steps(dts(video(probe))))).toBeGreaterThanOrEqual(16);
    expect(median(steps(dts(video(probe))))).toBeLessThanOrEqual(17);
    expect(dts(audio(probe))[0]).toBeLessThan(50);
    expect(dts(video(probe))[0]).toBeGreaterThanOrEqual(3000);
  });

  it('resize: a new sequence header at 640x480, then one re-sent at the same size; audio pauses 1.5 s', async () => {
    const { glasses, recordings, probes } = received.resize;
    const shape: VideoShape = await probeVideoShape(recordings[0]);
    const [, resized, resent] = glasses.plan.videoSegments.map((s) => glasses.plan.frames[s.firstFrame].dtsMs);
    expect(shape.sizes.map(({ width, height, fromMs }) => ({ width, height, fromMs }))).toEqual([
      { width: 1280, height: 720, fromMs: 0 },
      { width: 640, height: 480, fromMs: resized },
    ]);
    expect(shape.newHeadersAtMs).toEqual([resized, resent]);
    expect(video(probes[0])).toHaveLength(glasses.plan.frames.length);
    // The device clock may jump inside the pause; its length shows in the wall-clock step of the audio.
    expect(Math.max(...steps(dts(audio(probes[0]))))).toBeGreaterThanOrEqual(1400);
  });

  it('drops: three publishes, each starting with a keyframe at timestamp 0; drop and return times reported', () => {
    const { glasses, report, probes } = received.drops;
    expect(probes).toHaveLength(3);
    probes.forEach((probe, i) => {
      const first = video(probe)[0];
      expect(first).toMatchObject({ keyframe: true, dtsMs: 0 });
      const planned = glasses.plan.frames.filter((f) => {
        const s = glasses.plan.sessions[i];
        return f.wallMs >= s.startWallMs && f.wallMs < s.endWallMs;
      });
      expect(video(probe)).toHaveLength(planned.length);
      expect(audio(probe).length).toBeGreaterThan(0);
    });
    expect(report.drops.map((d) => d.abrupt)).toEqual([false, true]);
    const away = report.drops.map((d) => (d.returnedAt ?? NaN) - d.droppedAt);
    expect(away[0]).toBeGreaterThanOrEqual(1900);
    expect(away[0]).toBeLessThan(2400);
    expect(away[1]).toBeGreaterThanOrEqual(1400);
    expect(away[1]).toBeLessThan(1900);
  });
});
