import type { AdminStreamHistory, AdminStreamSample } from '../../types';
import { chartRange, gradeSpans, historySeries } from './history-series';

const T0 = Date.parse('2026-12-02T18:00:00.000Z') / 1000;
const sample = (secondsAfter: number, extra: Partial<AdminStreamSample> = {}): AdminStreamSample => ({
  at: new Date((T0 + secondsAfter) * 1000).toISOString(),
  outputFps: 30,
  outputBitrateKbps: 2500,
  droppedFrames: 0,
  ingestFps: 29.5,
  ingestFpsMin: 28,
  ingestBitrateKbps: 3000,
  ingestGrade: 'good',
  ...extra,
});
const history = (samples: AdminStreamSample[]): AdminStreamHistory => ({
  streamId: 'ms_1',
  from: '2026-12-02T17:45:00.000Z',
  to: '2026-12-02T18:15:00.000Z',
  intervalSeconds: 5,
  samples,
});

describe('historySeries', () => {
  it('turns samples into uPlot columns in Unix seconds over the whole window', () => {
    const series = historySeries(
      history([sample(0), sample(5, { outputFps: 25, ingestFps: 12, ingestBitrateKbps: 700, ingestGrade: 'poor' })]),
    );
    expect(series).toEqual({
      from: T0 - 900,
      to: T0 + 900,
      time: [T0, T0 + 5],
      outputBitrate: [2500, 2500],
      ingestBitrate: [3000, 700],
      outputFps: [30, 25],
      ingestFps: [29.5, 12],
      grade: [3, 1],
    });
  });

  it('breaks the lines where reports are missing for more than two intervals', () => {
    const series = historySeries(history([sample(0), sample(5), sample(60)]));
    expect(series.time).toEqual([T0, T0 + 5, T0 + 10, T0 + 60]);
    expect(series.outputFps).toEqual([30, 30, null, 30]);
    expect(series.grade).toEqual([3, 3, null, 3]);
  });

  it('keeps the output line and leaves the uplink empty while the slate is on air', () => {
    const series = historySeries(
      history([sample(0, { ingestFps: null, ingestFpsMin: null, ingestBitrateKbps: null, ingestGrade: null })]),
    );
    expect([series.outputFps, series.ingestFps, series.grade]).toEqual([[30], [null], [null]]);
  });

  it('is empty without samples', () => {
    expect(historySeries(history([])).time).toEqual([]);
  });
});

describe('gradeSpans', () => {
  it('merges runs of one grade and ends each where the next point starts', () => {
    const t = [T0, T0 + 5, T0 + 10, T0 + 15, T0 + 20];
    expect(gradeSpans(t, [3, 3, 2, null, 1], 5)).toEqual([
      { grade: 'good', from: T0, to: T0 + 10 },
      { grade: 'degraded', from: T0 + 10, to: T0 + 15 },
      { grade: 'poor', from: T0 + 20, to: T0 + 25 },
    ]);
  });
});

describe('chartRange', () => {
  const window = { from: T0 - 1800, to: T0 };
  const base = { ...window, outputBitrate: [], ingestBitrate: [], outputFps: [], ingestFps: [], grade: [] };

  it('spans the whole window once the stream has reported for longer', () => {
    expect(chartRange({ ...base, time: [T0 - 2000, T0 - 10] })).toEqual([T0 - 1800, T0]);
  });

  it('starts at the first sample of a younger stream, with at least a minute (no samples: the window)', () => {
    expect(chartRange({ ...base, time: [T0 - 300, T0 - 5] })).toEqual([T0 - 300, T0]);
    expect(chartRange({ ...base, time: [T0 - 10] })).toEqual([T0 - 60, T0]);
    expect(chartRange({ ...base, time: [] })).toEqual([T0 - 1800, T0]);
  });
});
