import {
  clockOffsetAt,
  FPS_RANGE,
  planDirtyStream,
  plannedAudioFrames,
  SHORT_KEYFRAME_GAP_MS,
  summarizePlan,
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
