// The drop and shape cases as printed: one line per output, this relay beside today's pipeline
// (measured with --baseline, else the figures the issue recorded, labelled as such). Pure formatting.
import { DROP_CASE, SHAPES_CASE, type CaseResult } from './glasses-cases';
import { table, verdictDetails } from './report';

export type { CaseResult };

/** Today's pipeline (before 5b6ec37) as the relay issue recorded it: printed only when not measured. */
export const RECORDED_TODAY = {
  cpuPercent: 20.9,
  cpuVsReference: [1.12, 1.19] as const,
  pssMb: [70, 103] as const,
  drop: 'the destination session is lost at every drop: a second session at every sink',
  shapes: 'no audio track: no output at all; 640x480 input: stretched to the output size',
};

export function casesReport(cases: CaseResult[], baseline: string | null): string {
  const parts: string[] = [];
  const drop = cases.filter((c) => c.caseName === 'drop');
  if (drop.length > 0) {
    parts.push(
      `Drop ${DROP_CASE.forSec} s and return: the kit's dirty glasses (seed ${DROP_CASE.seed}, ${DROP_CASE.durationSec} s, ` +
        `${DROP_CASE.forSec} s away from ${DROP_CASE.atSec} s, clean unpublish), reconnect window ${DROP_CASE.windowSec} s, ` +
        `${DROP_CASE.sinks.length} destinations; the app ends the stream 1.5 s after the glasses\n` +
        table([
          [
            'pipeline',
            'output',
            'away s',
            'sessions',
            'longest DTS step ms v/a',
            'longest wait between pictures ms',
            'longest still s',
            'return → live picture s',
            'checker',
          ],
          ...drop.flatMap((c) =>
            c.outputs.map((o) => [
              c.pipeline,
              o.output,
              c.awaySec === null ? '-' : c.awaySec.toFixed(1),
              String(o.sessions),
              `${ms(o.longestDtsGapMs?.video)}/${ms(o.longestDtsGapMs?.audio)}`,
              ms(o.longestSilenceMs),
              o.stillSec == null ? '-' : o.stillSec.toFixed(1),
              o.returnToLiveSec == null ? 'never' : o.returnToLiveSec.toFixed(2),
              verdictCell(o.verdict.clean, o.verdict.reasons.length),
            ]),
          ),
        ]) +
        '\nsessions: publishes the sink saw (one file each). DTS step: inside a session. Wait between pictures: wall clock, ' +
        'across sessions. Still: the longest span without picture change (freezedetect, 1 s minimum): the slate. ' +
        "Return → live: from the glasses' new publish to the first picture at the sink that is not part of a still span.",
    );
  }
  const shapes = cases.filter((c) => c.caseName === 'shapes');
  if (shapes.length > 0) {
    parts.push(
      `No audio / size change: the kit's glasses (seed ${SHAPES_CASE.seed}, ${SHAPES_CASE.durationSec} s, no audio track, ` +
        `${SHAPES_CASE.from} then ${SHAPES_CASE.to} from ${SHAPES_CASE.atSec} s), 1 destination + HLS\n` +
        table([
          ['pipeline', 'output', 'sessions', 'checker', 'picture sizes (frames)', 'size constant'],
          ...shapes.flatMap((c) =>
            c.outputs.map((o) => {
              const sizes = o.sizes ?? [];
              return [
                c.pipeline,
                o.output,
                String(o.sessions),
                verdictCell(o.verdict.clean, o.verdict.reasons.length),
                sizes.length ? sizes.map((run) => `${run.size} ×${run.frames}`).join(', ') : 'no pictures',
                sizes.length ? (new Set(sizes.map((run) => run.size)).size === 1 ? 'yes' : 'NO') : '-',
              ];
            }),
          ),
        ]),
    );
  }
  if (!baseline) {
    parts.push(
      `Today's pipeline, RECORDED in the issue (not measured in this run; --baseline 88b99af measures it): drop: ${RECORDED_TODAY.drop}; ` +
        `${RECORDED_TODAY.shapes}.`,
    );
  }
  const details = verdictDetails(
    cases.flatMap((c) => c.outputs.map((o) => ({ source: `${c.caseName} ${c.pipeline} ${o.output}`, verdict: o.verdict }))),
  );
  if (details.length > 0) parts.push(`Cleanliness checker, failed checks (cases)\n${details.join('\n')}`);
  const notes = cases.flatMap((c) => c.notes.map((note) => `${c.caseName} ${c.pipeline}: ${note}`));
  if (notes.length > 0) parts.push(`Notes (cases)\n${notes.join('\n')}`);
  return parts.join('\n\n');
}

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : String(Math.round(value));
}

function verdictCell(clean: boolean, reasons: number): string {
  return clean ? 'PASS' : `FAIL (${reasons})`;
}
