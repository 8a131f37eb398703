import { GRADE_IMPROVE_HOLD_MS, gradeIngest, IngestGradeKeeper, IngestHealthMonitor, type IngestFigures } from './ingest-health';

/** Pictures at `fps` from `fromMs` to `toMs` (arrival = timestamp + offset), a keyframe every 2 s; 48 kbit/s of sound. */
function feed(monitor: IngestHealthMonitor, fromMs: number, toMs: number, fps: number, tsOffset = 0): void {
  const step = 1000 / fps;
  for (let at = fromMs; at < toMs; at += step) {
    monitor.picture(at, at + tsOffset, 5_000, Math.round(at) % 2000 < step);
  }
  for (let at = fromMs; at < toMs; at += 1024 / 48) monitor.sound(at, at + tsOffset, 128);
}

const GOOD: IngestFigures = {
  windowSeconds: 10,
  fpsMean: 30,
  fpsMin: 29,
  bitrateKbps: 1_250,
  keyframeIntervalSeconds: 2,
  timestampJumps: 0,
  gaps: 0,
  longestGapMs: 34,
  avDriftMs: 0,
};

describe('IngestHealthMonitor', () => {
  it('reports nothing for the first 2 s, then the rate, bitrate and keyframe interval of a steady camera', () => {
    const monitor = new IngestHealthMonitor();
    feed(monitor, 0, 1_500, 30);
    expect(monitor.figures(1_500)).toBeNull();
    feed(monitor, 1_500, 12_000, 30);
    const figures = monitor.figures(12_000)!;
    expect(figures.windowSeconds).toBe(10);
    expect(figures.fpsMean).toBeCloseTo(30, 0);
    expect(figures.fpsMin).toBeGreaterThanOrEqual(29);
    // 30 × 5,000 bytes + 48 × 128 bytes a second.
    expect(figures.bitrateKbps).toBeCloseTo((30 * 5_000 + (48_000 / 1024) * 128) * 0.008, -1);
    expect(figures.keyframeIntervalSeconds).toBeCloseTo(2, 0);
    expect(figures).toMatchObject({ timestampJumps: 0, gaps: 0, avDriftMs: 0 });
    expect(gradeIngest(figures).grade).toBe('good');
  });

  it('counts gaps and the slowest second, and calls a stream at 4 fps poor', () => {
    const monitor = new IngestHealthMonitor();
    feed(monitor, 0, 5_000, 30);
    feed(monitor, 5_700, 12_000, 30);
    const gap = monitor.figures(12_000)!;
    expect(gap).toMatchObject({ gaps: 1 });
    expect(gap.longestGapMs).toBeGreaterThanOrEqual(700);
    expect(gradeIngest(gap)).toEqual({ grade: 'degraded', reason: expect.stringContaining('gap') });

    const slow = new IngestHealthMonitor();
    feed(slow, 0, 12_000, 4);
    // A whole second holds 3 or 4 pictures at 4 fps, by where its edges fall.
    expect(slow.figures(12_000)!.fpsMin).toBeGreaterThanOrEqual(3);
    expect(slow.figures(12_000)!.fpsMin).toBeLessThanOrEqual(4);
    expect(gradeIngest(slow.figures(12_000)!).grade).toBe('poor');
  });

  it('tells a device clock jump from a real pause, and forgets it once it leaves the window', () => {
    const monitor = new IngestHealthMonitor();
    feed(monitor, 0, 5_000, 30);
    feed(monitor, 5_000, 12_000, 30, 3_000);
    expect(monitor.figures(12_000)).toMatchObject({ timestampJumps: 1, gaps: 0 });
    feed(monitor, 12_000, 17_000, 30, 3_000);
    expect(monitor.figures(17_000)).toMatchObject({ timestampJumps: 0 });
  });

  it('starts afresh on a new publish: neither its timestamps from zero nor the time away count against it', () => {
    const monitor = new IngestHealthMonitor();
    feed(monitor, 0, 5_000, 30, 90_000);
    monitor.publisherBack();
    feed(monitor, 9_000, 10_000, 30, -9_000);
    expect(monitor.figures(10_000)).toBeNull();
    feed(monitor, 10_000, 14_000, 30, -9_000);
    expect(monitor.figures(14_000)).toMatchObject({ timestampJumps: 0, gaps: 0, windowSeconds: 5 });
  });

  it('sees the glasses go silent as a growing gap, poor after 2 s', () => {
    const monitor = new IngestHealthMonitor();
    feed(monitor, 0, 10_000, 30);
    expect(gradeIngest(monitor.figures(11_000)!).grade).toBe('degraded');
    const silent = monitor.figures(13_000)!;
    expect(silent.longestGapMs).toBeGreaterThanOrEqual(3_000);
    expect(gradeIngest(silent)).toEqual({ grade: 'poor', reason: expect.stringMatching(/no picture for 3\.\d s/) });
  });

  it('measures sound running ahead of the pictures', () => {
    const monitor = new IngestHealthMonitor();
    for (let at = 0; at < 10_000; at += 33) monitor.picture(at, at, 1000, false);
    for (let at = 0; at < 10_000; at += 21) monitor.sound(at, at + 1_200, 100);
    const figures = monitor.figures(10_000)!;
    expect(figures.avDriftMs).toBeGreaterThanOrEqual(1_150);
    expect(gradeIngest(figures).grade).toBe('degraded');
  });
});

describe('IngestGradeKeeper', () => {
  it('reports a worse grade at once and a better one only once it has held', () => {
    const keeper = new IngestGradeKeeper();
    expect(keeper.update(null, 0)).toEqual({ health: null, changed: false });
    expect(keeper.update(GOOD, 0)).toMatchObject({ health: { grade: 'good' }, changed: true });
    expect(keeper.update(GOOD, 1_000)).toMatchObject({ changed: false });
    expect(keeper.update({ ...GOOD, fpsMean: 4 }, 2_000)).toMatchObject({ health: { grade: 'poor' }, changed: true });
    expect(keeper.update(GOOD, 3_000)).toMatchObject({ health: { grade: 'poor', fpsMean: 30 }, changed: false });
    expect(keeper.update(GOOD, 3_000 + GRADE_IMPROVE_HOLD_MS - 1)).toMatchObject({ changed: false });
    expect(keeper.update(GOOD, 3_000 + GRADE_IMPROVE_HOLD_MS)).toMatchObject({ health: { grade: 'good' }, changed: true });
  });

  it('starts the hold again when the better grade does not last', () => {
    const keeper = new IngestGradeKeeper();
    keeper.update({ ...GOOD, gaps: 1 }, 0);
    keeper.update(GOOD, 1_000);
    keeper.update({ ...GOOD, gaps: 1 }, 4_000);
    expect(keeper.update(GOOD, 7_000)).toMatchObject({ health: { grade: 'degraded' }, changed: false });
    expect(keeper.update(GOOD, 7_000 + GRADE_IMPROVE_HOLD_MS)).toMatchObject({ health: { grade: 'good' }, changed: true });
  });
});
