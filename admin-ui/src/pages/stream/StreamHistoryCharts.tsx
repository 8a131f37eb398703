// Loaded lazily (React.lazy in StreamHistory.tsx): uPlot and its CSS stay out of the main bundle.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartRange, gradeSpans, HistorySeries, LEVEL_GRADE } from './history-series';

interface Props {
  series: HistorySeries;
  intervalSeconds: number;
}

interface Palette {
  text: string;
  grid: string;
  output: string;
  uplink: string;
  good: string;
  warn: string;
  bad: string;
}

function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const value = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: value('--muted', '#5b6470'),
    grid: value('--border', '#d5d9e0'),
    output: value('--accent', '#1f5fd1'),
    uplink: value('--warn', '#a15c00'),
    good: value('--good', '#137333'),
    warn: value('--warn', '#a15c00'),
    bad: value('--danger', '#b42318'),
  };
}

const SYNC_KEY = 'stream-history';
const unit = (suffix: string) => (_: uPlot, value: number | null) => (value === null ? '—' : `${value} ${suffix}`);

/** Bitrate, frame rate and the uplink's grade over the window, with one cursor across the three charts. */
export default function StreamHistoryCharts({ series, intervalSeconds }: Props) {
  const colors = useMemo(palette, []);
  // The range functions read the latest window, so a poll moves the charts along without rebuilding them.
  const latest = useRef(series);
  latest.current = series;
  const charts = useMemo(() => chartSpecs(series, colors, intervalSeconds, latest), [series, colors, intervalSeconds]);

  return (
    <div className="history-charts" data-samples={series.time.length}>
      {charts.map((chart) => (
        <UPlotChart key={chart.title} {...chart} />
      ))}
    </div>
  );
}

function chartSpecs(
  series: HistorySeries,
  colors: Palette,
  intervalSeconds: number,
  latest: { current: HistorySeries },
): ChartSpec[] {
  const xRange = (): uPlot.Range.MinMax => chartRange(latest.current);

  const base = (height: number): Omit<uPlot.Options, 'series' | 'width'> => ({
    height,
    cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false } },
    scales: { x: { time: true, range: xRange } },
    axes: [
      { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid } },
      { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid }, size: 76 },
    ],
  });

  const line = (label: string, stroke: string, suffix: string, dash?: number[]): uPlot.Series => ({
    label,
    stroke,
    width: 2,
    dash,
    value: unit(suffix),
    points: { size: 5 },
  });

  const bitrate: ChartSpec = {
    title: 'Bitrate',
    data: [series.time, series.outputBitrate, series.ingestBitrate],
    options: {
      ...base(170),
      scales: { x: { time: true, range: xRange }, y: { range: (_, __, max) => [0, Math.max(500, max * 1.15)] } },
      series: [{}, line('Output', colors.output, 'kbit/s'), line('Uplink', colors.uplink, 'kbit/s', [6, 4])],
    },
  };
  const fps: ChartSpec = {
    title: 'Frames per second',
    data: [series.time, series.outputFps, series.ingestFps],
    options: {
      ...base(150),
      scales: { x: { time: true, range: xRange }, y: { range: (_, __, max) => [0, Math.max(30, Math.ceil(max / 5) * 5 + 5)] } },
      series: [{}, line('Output', colors.output, 'fps'), line('Uplink', colors.uplink, 'fps', [6, 4])],
    },
  };
  const gradeColor = { good: colors.good, degraded: colors.warn, poor: colors.bad };
  const grade: ChartSpec = {
    title: 'Uplink grade',
    data: [series.time, series.grade],
    options: {
      ...base(110),
      scales: { x: { time: true, range: xRange }, y: { range: [0.5, 3.5] } },
      axes: [
        base(0).axes![0],
        {
          ...base(0).axes![1],
          splits: () => [1, 2, 3],
          values: (_, splits) => splits.map((level) => LEVEL_GRADE[level] ?? ''),
        },
      ],
      series: [
        {},
        {
          label: 'Grade',
          stroke: colors.text,
          width: 2,
          paths: uPlot.paths.stepped!({ align: 1 }),
          value: (_, level) => (level === null ? '—' : (LEVEL_GRADE[level] ?? '—')),
          points: { show: false },
        },
      ],
      hooks: {
        // The band: each run of one grade as a tinted rectangle behind the step line.
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            const current = latest.current;
            ctx.save();
            ctx.globalAlpha = 0.22;
            for (const span of gradeSpans(current.time, current.grade, intervalSeconds)) {
              const left = u.valToPos(span.from, 'x', true);
              const right = u.valToPos(span.to, 'x', true);
              ctx.fillStyle = gradeColor[span.grade];
              ctx.fillRect(left, bbox.top, Math.max(1, right - left), bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    },
  };

  return [bitrate, fps, grade];
}

interface ChartSpec {
  title: string;
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
}

/** One uPlot instance, created once, fed new data on every poll and resized with its container. */
function UPlotChart({ title, options, data }: ChartSpec) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const initial = useRef({ options, data });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const created = new uPlot({ ...initial.current.options, width: element.clientWidth }, initial.current.data, element);
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: element.clientWidth, height: created.height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="history-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={container} />
    </figure>
  );
}
