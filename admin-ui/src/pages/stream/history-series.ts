import type { AdminStreamHistory } from '../../types';

export type Grade = 'good' | 'degraded' | 'poor';
/** Where each grade sits on the grade chart's axis. */
export const GRADE_LEVEL: Record<Grade, number> = { poor: 1, degraded: 2, good: 3 };
export const LEVEL_GRADE: Record<number, Grade> = { 1: 'poor', 2: 'degraded', 3: 'good' };

type Column = (number | null)[];

/** Columns as uPlot takes them: x in Unix seconds, one array per series, null where the line breaks. */
export interface HistorySeries {
  /** The window's bounds in Unix seconds, so every chart spans the same 30 minutes. */
  from: number;
  to: number;
  time: number[];
  outputBitrate: Column;
  ingestBitrate: Column;
  outputFps: Column;
  ingestFps: Column;
  grade: Column;
}

/**
 * Pure: the chart columns of a history. Where reports are missing for more than two sample
 * intervals (the relay lost the stream, the service was down), a null point breaks every line
 * instead of drawing a straight line across the hole.
 */
export function historySeries(history: AdminStreamHistory): HistorySeries {
  const series: HistorySeries = {
    from: Date.parse(history.from) / 1000,
    to: Date.parse(history.to) / 1000,
    time: [],
    outputBitrate: [],
    ingestBitrate: [],
    outputFps: [],
    ingestFps: [],
    grade: [],
  };
  const columns = [series.outputBitrate, series.ingestBitrate, series.outputFps, series.ingestFps, series.grade];
  const push = (time: number, values: Column) => {
    series.time.push(time);
    columns.forEach((column, i) => column.push(values[i]));
  };
  let previous: number | null = null;
  for (const sample of history.samples) {
    const time = Date.parse(sample.at) / 1000;
    if (previous !== null && time - previous > 2 * history.intervalSeconds) {
      push(previous + history.intervalSeconds, [null, null, null, null, null]);
    }
    push(time, [
      sample.outputBitrateKbps,
      sample.ingestBitrateKbps,
      sample.outputFps,
      sample.ingestFps,
      sample.ingestGrade ? GRADE_LEVEL[sample.ingestGrade] : null,
    ]);
    previous = time;
  }
  return series;
}

export interface GradeSpan {
  grade: Grade;
  from: number;
  to: number;
}

/**
 * Pure: runs of one grade, for the coloured band. A span lasts until the next point (a grade
 * holds until the relay says otherwise) or, for the last point, one interval past it.
 */
export function gradeSpans(time: number[], grade: Column, intervalSeconds: number): GradeSpan[] {
  const spans: GradeSpan[] = [];
  for (let i = 0; i < time.length; i++) {
    const level = grade[i];
    const end = i + 1 < time.length ? time[i + 1] : time[i] + intervalSeconds;
    if (level === null) continue;
    const last = spans[spans.length - 1];
    if (last && last.grade === LEVEL_GRADE[level] && last.to === time[i]) last.to = end;
    else spans.push({ grade: LEVEL_GRADE[level], from: time[i], to: end });
  }
  return spans;
}

/** The charts' x range floor: a stream a few seconds old still gets a readable span. */
const MIN_SPAN_SECONDS = 60;

/**
 * Pure: the x range the charts span: the whole window once the stream has been reporting that
 * long, otherwise from its first sample (at least a minute), so a young stream fills the width.
 */
export function chartRange(series: HistorySeries): [number, number] {
  const first = series.time[0] ?? series.from;
  const start = Math.max(series.from, Math.min(first, series.to - MIN_SPAN_SECONDS));
  return [start, series.to];
}
