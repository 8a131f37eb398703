import { formatDirtiness, measureDirtiness } from './dirtiness-report';
import type { ProbedPacket } from './ffprobe-json';
import { continuousTimeline, discontinuities, fpsPerSecond, keyframeIntervals, median, range } from './packet-timeline';
import { AUDIO_STREAM, audioPackets, cleanProbe, probeOf, VIDEO_STREAM } from './probe-result.fixtures';

const video = (times: number[], keyAt: number[] = [0]): ProbedPacket[] =>
  times.map((t, i) => ({ streamIndex: 0, codecType: 'video', dtsMs: t, ptsMs: t, keyframe: keyAt.includes(i) }));

describe('packet timeline helpers', () => {
  it('finds forward jumps, backward steps and frozen steps', () => {
    const d = discontinuities([0, 100, 200, 3200, 3300, 1300, 1300, 1400], 1000);
    expect(d.forward.map((s) => s.deltaMs)).toEqual([3000]);
    expect(d.backward.map((s) => [s.index, s.deltaMs])).toEqual([[5, -2000]]);
    expect(d.frozen.map((s) => s.index)).toEqual([6]);
  });

  it('takes the jumps out of the timeline, replacing each by the median normal step', () => {
    expect(continuousTimeline([0, 100, 200, 3200, 3300, 1300, 1300, 1400], 1000)).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
    expect(continuousTimeline([], 1000)).toEqual([]);
  });

  it('counts frames per full second and measures keyframe intervals on a timeline', () => {
    const times = [...Array(25).keys()].map((i) => (i < 10 ? i * 100 : 1000 + (i - 10) * 50));
    expect(fpsPerSecond(times)).toEqual([10]); // the second window (1000-2000) is not full
    const packets = video(times, [0, 10, 20]).map((p) => ({ ...p, tMs: p.dtsMs ?? 0 }));
    expect(keyframeIntervals(packets, times)).toEqual([1000, 500]);
  });

  it('has small statistics helpers', () => {
    expect(range([3, 1, 2])).toEqual({ min: 1, max: 3 });
    expect(range([])).toBeUndefined();
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('measureDirtiness', () => {
  it('sees nothing wrong in a clean stream', () => {
    const report = measureDirtiness(cleanProbe());
    expect(report.fps).toEqual({ min: 30, max: 30 });
    expect(report.keyframeIntervalMs?.min).toBeCloseTo(2000, 6);
    expect(report.keyframeIntervalMs?.max).toBeCloseTo(2000, 6);
    expect(Object.values(report.defects).some(Boolean)).toBe(false);
  });

  it('measures wandering rate, keyframe spacing and jumps across the jumps', () => {
    // 10 fps for 3 s, a +3 s jump, 15 fps for 3 s, a -2 s jump, 10 fps for 2 s.
    const times: number[] = [];
    for (let t = 0; t < 3000; t += 100) times.push(t);
    for (let t = 6000; t < 9000; t += 1000 / 15) times.push(Math.round(t));
    for (let t = 7000; t < 9000; t += 100) times.push(t);
    const keys = [0, 1, 40, 75];
    const report = measureDirtiness(probeOf([VIDEO_STREAM, AUDIO_STREAM], video(times, keys), audioPackets({ seconds: 8 })));
    expect(report.fps?.min).toBeLessThanOrEqual(11);
    expect(report.fps?.max).toBeGreaterThanOrEqual(15);
    expect(report.keyframeIntervalMs?.min).toBe(100);
    expect(report.video.forwardJumps.map((s) => s.deltaMs)).toEqual([3100]);
    expect(report.video.backwardJumps).toHaveLength(1);
    expect(report.defects).toEqual({
      wanderingFps: true,
      keyframesUnder100Ms: false,
      keyframeGapOver5s: false,
      forwardJump: true,
      backwardJump: true,
      frozenTimestamps: false,
    });
    expect(formatDirtiness(report)).toMatch(/defects: wanderingFps, forwardJump, backwardJump/);
  });
});
