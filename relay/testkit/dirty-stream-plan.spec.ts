import {
  clockOffsetAt,
  FPS_RANGE,
  planDirtyStream,
  plannedAudioFrames,
  SHORT_KEYFRAME_GAP_MS,
  summarizePlan,
  type DirtyStreamPlan,
  type PlannedFrame,
} from './dirty-stream-plan';

describe('planDirtyStream', () => {
  it('is a pure function of (seed, duration)', () => {
    expect(planDirtyStream(42, 15)).toEqual(planDirtyStream(42, 15));
    expect(planDirtyStream(42, 15)).not.toEqual(planDirtyStream(43, 15));
  });

  it('keeps a stable fingerprint for a known seed (recorded benchmarks refer to seeds)', () => {
    const plan = planDirtyStream(1, 10);
    expect({
      frames: plan.frames.length,
      keyframesAtMs: plan.frames.filter((f) => f.keyframe).map((f) => f.wallMs),
      jumps: plan.jumps,
    }).toMatchInlineSnapshot(`
     {
       "frames": 134,
       "jumps": [
         {
           "atWallMs": 3942,
           "deltaMs": 2386,
         },
         {
           "atWallMs": 7135,
           "deltaMs": -1797,
         },
       ],
       "keyframesAtMs": [
         0,
         1458,
         6914,
         7942,
         8012,
         9936,
       ],
     }
    `);
  });

  const cases = [1, 2, 3, 7, 42, 1234, 99999].flatMap((seed) =>
    [10, 13, 20, 45, 60].map((duration) => [seed, duration] as const),
  );

  it.each(cases)('seed %i, %i s: holds every defect, inside its bounds', (seed, duration) => {
    const plan = planDirtyStream(seed, duration);
    const summary = summarizePlan(plan);
    expect(plan.frames[0]).toMatchObject({ wallMs: 0, dtsMs: 0, keyframe: true });
    expect(plan.frames.every((f, i) => i === 0 || f.wallMs > plan.frames[i - 1].wallMs)).toBe(true);
    expect(plan.frames[plan.frames.length - 1].wallMs).toBeLessThan(duration * 1000);
    expect(plan.frames.every((f) => f.dtsMs >= 0)).toBe(true);
    for (const s of plan.fpsSegments) {
      expect(s.fps).toBeGreaterThanOrEqual(FPS_RANGE.min);
      expect(s.fps).toBeLessThanOrEqual(FPS_RANGE.max);
    }
    expect(summary.fps.min).toBeLessThan(10);
    expect(summary.fps.max).toBeGreaterThan(14);
    expect(summary.keyframeGapMs.min).toBe(SHORT_KEYFRAME_GAP_MS);
    expect(summary.keyframeGapMs.max).toBeGreaterThan(5000);
    expect(summary.forwardJumpsMs.length).toBeGreaterThanOrEqual(1);
    expect(summary.backwardJumpsMs.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...summary.forwardJumpsMs)).toBeGreaterThanOrEqual(2000);
    // Variable frame durations: jitter around 1000/fps, plus the forced 70 ms step.
    expect(summary.frameIntervalMs.max - summary.frameIntervalMs.min).toBeGreaterThan(30);
  });

  it('one episode of each defect per 20 s', () => {
    const summary = summarizePlan(planDirtyStream(5, 60));
    expect(summary.forwardJumpsMs).toHaveLength(3);
    expect(summary.backwardJumpsMs).toHaveLength(3);
  });

  it('can leave out backward jumps', () => {
    const plan = planDirtyStream(9, 30, { backwardJumps: false });
    expect(plan.jumps.every((j) => j.deltaMs > 0)).toBe(true);
  });

  it('stamps frames with the jumping device clock', () => {
    const plan = planDirtyStream(7, 12);
    for (const f of plan.frames) expect(f.dtsMs).toBe(f.wallMs + clockOffsetAt(plan.jumps, f.wallMs));
  });

  it('refuses durations too short to hold every defect', () => {
    expect(() => planDirtyStream(1, 9.9)).toThrow(RangeError);
    expect(() => planDirtyStream(1.5, 10)).toThrow(RangeError);
  });
});

describe('clockOffsetAt', () => {
  it('sums the jumps that have happened', () => {
    const jumps = [
      { atWallMs: 1000, deltaMs: 3000 },
      { atWallMs: 5000, deltaMs: -2000 },
    ];
    expect([0, 999, 1000, 4999, 5000, 9000].map((t) => clockOffsetAt(jumps, t))).toEqual([0, 0, 3000, 3000, 1000, 1000]);
  });
});

describe('plannedAudioFrames', () => {
  it('runs on the 1024-sample clock and shares the video clock jumps', () => {
    const plan = planDirtyStream(3, 12);
    const audio = plannedAudioFrames(plan);
    expect(audio).toHaveLength(Math.floor((12_000 * 44100) / 1024 / 1000));
    expect(audio[10].wallMs).toBeCloseTo((10 * 1024 * 1000) / 44100, 6);
    const jump = plan.jumps[0];
    const after = audio.find((a) => a.wallMs >= jump.atWallMs);
    expect(after && after.dtsMs - Math.round(after.wallMs)).toBe(jump.deltaMs);
  });
});

describe('planDirtyStream with shapes', () => {
  const framesIn = (plan: DirtyStreamPlan, fromMs: number, toMs: number): PlannedFrame[] =>
    plan.frames.filter((f) => f.wallMs >= fromMs && f.wallMs < toMs);

  it('a constant frame rate: no jitter, no drift over the stream (60 and 4 fps)', () => {
    for (const fps of [60, 4]) {
      const plan = planDirtyStream(3, 12, { fps });
      const intervals = plan.frames.slice(1).map((f, i) => f.wallMs - plan.frames[i].wallMs);
      const regular = intervals.filter((d) => d !== SHORT_KEYFRAME_GAP_MS);
      expect(Math.max(...regular) - Math.min(...regular)).toBeLessThanOrEqual(1000 / fps < 50 ? 1 : 180);
      // The 70 ms keyframe pair replaces a few 16.7 ms steps at 60 fps.
      expect(plan.frames.length).toBeGreaterThanOrEqual(Math.floor(12 * fps * 0.98));
      expect(plan.frames.length).toBeLessThanOrEqual(Math.ceil(12 * fps) + 1);
      expect(plan.fpsSegments).toEqual([{ startMs: 0, endMs: 12_000, fps }]);
    }
  });

  it('audio-only lead: video starts with a keyframe after N s, audio from 0', () => {
    const plan = planDirtyStream(3, 12, { audioOnlyForSec: 3 });
    expect(plan.frames[0]).toMatchObject({ wallMs: 3000, keyframe: true });
    expect(plannedAudioFrames(plan)[0]).toMatchObject({ wallMs: 0, dtsMs: 0 });
  });

  it('no audio: no audio frames', () => {
    const plan = planDirtyStream(3, 12, { audio: 'none' });
    expect(plan.audio).toBeNull();
    expect(plannedAudioFrames(plan)).toEqual([]);
  });

  it('48 kHz stereo: audio frames of 1024 samples at 48 kHz', () => {
    const plan = planDirtyStream(3, 12, { audio: 'stereo48' });
    expect(plannedAudioFrames(plan)).toHaveLength(Math.floor((12_000 * 48_000) / 1024 / 1000));
  });

  it('video only for a while: audio pauses, video goes on', () => {
    const plan = planDirtyStream(3, 12, { videoOnly: [{ atSec: 5, forSec: 1.5 }] });
    expect(plannedAudioFrames(plan).filter((a) => a.wallMs >= 5000 && a.wallMs < 6500)).toEqual([]);
    expect(plannedAudioFrames(plan).some((a) => a.wallMs >= 6500)).toBe(true);
    expect(framesIn(plan, 5000, 6500).length).toBeGreaterThan(10);
  });

  it('resizes: a new video segment from the first frame at or after the time, which is a keyframe', () => {
    const plan = planDirtyStream(3, 12, {
      resizes: [
        { atSec: 4, size: '640x480' },
        { atSec: 7, size: '640x480' },
      ],
    });
    expect(plan.videoSegments.map((s) => s.size)).toEqual([
      { width: 1280, height: 720 },
      { width: 640, height: 480 },
      { width: 640, height: 480 },
    ]);
    for (const [i, atMs] of [
      [1, 4000],
      [2, 7000],
    ]) {
      const first = plan.frames[plan.videoSegments[i].firstFrame];
      expect(first.keyframe).toBe(true);
      expect(first.wallMs).toBeGreaterThanOrEqual(atMs);
      expect(plan.frames[first.index - 1].wallMs).toBeLessThan(atMs);
    }
    expect(plan.videoSegments.reduce((n, s) => n + s.frameCount, 0)).toBe(plan.frames.length);
  });

  describe('drops', () => {
    const drops = [
      { atSec: 3, forSec: 2 },
      { atSec: 6.5, forSec: 1.5, abrupt: true },
    ];

    it('nothing is sent while away; each return starts with a keyframe', () => {
      const plan = planDirtyStream(5, 10, { drops });
      expect(plan.sessions.map((s) => [s.startWallMs, s.endWallMs, s.end])).toEqual([
        [0, 3000, 'clean'],
        [5000, 6500, 'abrupt'],
        [8000, 10_000, 'final'],
      ]);
      expect(framesIn(plan, 3000, 5000)).toEqual([]);
      expect(framesIn(plan, 6500, 8000)).toEqual([]);
      expect(
        plannedAudioFrames(plan).filter((a) => (a.wallMs >= 3000 && a.wallMs < 5000) || (a.wallMs >= 6500 && a.wallMs < 8000)),
      ).toEqual([]);
      for (const s of plan.sessions)
        expect(framesIn(plan, s.startWallMs, s.endWallMs)[0]).toMatchObject({ wallMs: s.startWallMs, keyframe: true });
    });

    it('the device clock restarts from 0 at each return by default, and never goes below 0', () => {
      for (const seed of [1, 2, 3, 5, 42]) {
        const plan = planDirtyStream(seed, 20, {
          drops: [
            { atSec: 6, forSec: 2 },
            { atSec: 12, forSec: 1 },
          ],
        });
        for (const s of plan.sessions) expect(framesIn(plan, s.startWallMs, s.endWallMs)[0].dtsMs).toBe(0);
        expect(plan.frames.every((f) => f.dtsMs >= 0)).toBe(true);
        expect(plannedAudioFrames(plan).every((a) => a.dtsMs >= 0)).toBe(true);
      }
    });

    it('or keeps running through the drop', () => {
      const plan = planDirtyStream(5, 10, { drops, clockAfterDrop: 'continue' });
      for (const f of plan.frames) expect(f.dtsMs).toBe(f.wallMs + clockOffsetAt(plan.jumps, f.wallMs));
    });
  });

  it('shape options leave the default plan as it was', () => {
    const { shape, sessions, videoSegments, ...rest } = planDirtyStream(1, 10, {});
    const { shape: s2, sessions: ss2, videoSegments: vs2, ...defaults } = planDirtyStream(1, 10);
    expect(rest).toEqual(defaults);
    expect([shape, sessions, videoSegments]).toEqual([s2, ss2, vs2]);
    expect(sessions).toHaveLength(1);
  });
});
