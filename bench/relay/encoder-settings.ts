// Which x264 settings make the cheapest clean encode? Each candidate is the relay encoder's own
// argument list (buildEncoderArgs: same filter chain, CFR, GOP, tee to HLS + FLV) with one change,
// run NON-realtime on the output clock's FLV of a dirty and an easy input, and measured for:
//   CPU: user+system seconds of the ffmpeg child (GNU time), also as % of a core in real time;
//   peak RSS (GNU time's %M); the checker's verdict on the FLV and the HLS output;
//   quality: SSIM and PSNR against a lossless encode through the same chain (first run only).
// Runs are interleaved (run 1 of every candidate, then run 2...) so that other work on the machine
// spreads over all candidates rather than landing on one.
//
//   npx tsx bench/relay/encoder-settings.ts [--runs 3] [--seconds 30] [--qualities 720p,480p,1080p]
//                                           [--inputs dirty,easy] [--only today,threads1,...] [--seed 20261121]
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { StreamQuality } from '../../relay/protocol/relay-protocol.schemas';
import { buildEncoderArgs, HLS_PLAYLIST } from '../../relay/src/ffmpeg/encoder-args';
import { outputSize } from '../../relay/src/ffmpeg/output-format';
import { runProcess } from '../../relay/testkit/child-process';
import { checkStreamCleanliness } from '../../relay/testkit/stream-inspection';
import { PROJECT_ROOT } from '../support/compile-app';
import { CANDIDATES, losslessReference, type Candidate } from './encoder-settings-candidates';
import { prepareInputs, type EncoderInput } from './encoder-settings-inputs';

const OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-encoder-settings');
const log = (msg: string) => process.stderr.write(`[bench:encoders] ${msg}\n`);

interface RunFigures {
  cpuSec: number;
  rssMb: number;
  kbps: number;
  flvClean: boolean;
  hlsClean: boolean;
  reasons: string[];
}

interface Row {
  quality: StreamQuality;
  input: string;
  candidate: string;
  runs: RunFigures[];
  ssim: number | null;
  psnr: number | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '30' },
      qualities: { type: 'string', default: '720p' },
      inputs: { type: 'string', default: 'dirty,easy' },
      only: { type: 'string', default: CANDIDATES.map((c) => c.name).join(',') },
      seed: { type: 'string', default: '20261121' },
    },
  });
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const qualities = values.qualities.split(',') as StreamQuality[];
  const only = values.only.split(',');
  const candidates = CANDIDATES.filter((c) => only.includes(c.name));
  if (candidates.length !== only.length) throw new Error(`--only: unknown candidate in ${values.only}`);
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-encoders-'));
  try {
    log(`rendering inputs (${seconds} s, seed ${values.seed})`);
    const inputs = (await prepareInputs(scratch, Number(values.seed), seconds)).filter((i) =>
      values.inputs.split(',').includes(i.name),
    );
    const rows: Row[] = [];
    for (const quality of qualities) {
      for (const input of inputs) {
        const reference = path.join(scratch, `ref-${quality}-${input.name}.flv`);
        await encode(losslessReference, quality, input, reference, path.join(scratch, 'hls-ref'));
        const group = candidates.map((c): Row => ({
          quality,
          input: input.name,
          candidate: c.name,
          runs: [],
          ssim: null,
          psnr: null,
        }));
        for (let run = 0; run < runs; run++) {
          for (const [i, candidate] of candidates.entries()) {
            const out = path.join(scratch, `out-${candidate.name}.flv`);
            const hlsDir = path.join(scratch, `hls-${candidate.name}-${run}`);
            const figures = await encode(candidate, quality, input, out, hlsDir);
            group[i].runs.push(figures);
            if (run === 0) Object.assign(group[i], await compare(out, reference));
            await rm(hlsDir, { recursive: true, force: true });
            log(`${quality} ${input.name} ${candidate.name} run ${run + 1}: ${figures.cpuSec.toFixed(2)} s CPU`);
          }
        }
        rows.push(...group);
        await rm(reference, { force: true });
      }
    }
    await mkdir(OUT_DIR, { recursive: true });
    const json = path.join(OUT_DIR, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(json, JSON.stringify({ seconds, rows }, null, 2));
    process.stdout.write(renderTable(rows, seconds, candidates));
    log(`raw figures: ${json}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function encode(
  candidate: Candidate,
  quality: StreamQuality,
  input: EncoderInput,
  outFlv: string,
  hlsDir: string,
): Promise<RunFigures> {
  await mkdir(hlsDir, { recursive: true });
  const args = candidate.apply(buildEncoderArgs({ hlsDir, quality, size: outputSize(quality, null), startMs: 0 }), quality);
  const timeFile = `${outFlv}.time`;
  const stdin = openSync(input.file, 'r');
  const stdout = openSync(outFlv, 'w');
  let stderr = '';
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // fd 3 (-progress) goes to /dev/null: nothing reads it here.
      const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, 'ffmpeg', ...args], {
        stdio: [stdin, stdout, 'pipe', 'ignore'],
      });
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${candidate.name}: ffmpeg exited ${code}: ${stderr}`);
  } finally {
    closeSync(stdin);
    closeSync(stdout);
  }
  const [user, system, maxKb] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
  const flv = await checkStreamCleanliness(outFlv, { seconds: input.seconds + 5 });
  const hls = await checkStreamCleanliness(path.join(hlsDir, HLS_PLAYLIST), { seconds: input.seconds + 5 });
  return {
    cpuSec: user + system,
    rssMb: maxKb / 1024,
    kbps: ((await stat(outFlv)).size * 8) / 1000 / input.seconds,
    flvClean: flv.clean,
    hlsClean: hls.clean,
    reasons: [...flv.reasons.map((r) => `flv: ${r}`), ...hls.reasons.map((r) => `hls: ${r}`)],
  };
}

/** SSIM (All) and PSNR (average, dB) of `file`'s pictures against the lossless reference's. */
async function compare(file: string, reference: string): Promise<{ ssim: number | null; psnr: number | null }> {
  const graph = '[0:v]split[a0][a1];[1:v]split[b0][b1];[a0][b0]ssim;[a1][b1]psnr';
  const args = ['-hide_banner', '-nostdin', '-nostats', '-i', file, '-i', reference, '-lavfi', graph, '-f', 'null', '-'];
  const result = await runProcess('ffmpeg', args, 300_000);
  const ssim = /SSIM .*All:([\d.]+)/.exec(result.stderr);
  const psnr = /PSNR .*average:([\d.]+|inf)/.exec(result.stderr);
  return { ssim: ssim ? Number(ssim[1]) : null, psnr: psnr ? Number(psnr[1]) : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function renderTable(rows: Row[], seconds: number, candidates: Candidate[]): string {
  const lines = [
    '| quality | input | candidate | CPU s (median) | spread (min-max) | % of a core | vs today | peak RSS MB | kb/s | SSIM | PSNR dB | checker FLV/HLS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const cpu = row.runs.map((r) => r.cpuSec);
    const today = rows.find((r) => r.quality === row.quality && r.input === row.input && r.candidate === 'today');
    const ratio = today ? (median(cpu) / median(today.runs.map((r) => r.cpuSec))).toFixed(2) : '-';
    const verdict = (ok: boolean[]) => (ok.every(Boolean) ? 'PASS' : `FAIL ${ok.filter((x) => !x).length}/${ok.length}`);
    lines.push(
      [
        row.quality,
        row.input,
        row.candidate,
        median(cpu).toFixed(2),
        `${Math.min(...cpu).toFixed(2)}-${Math.max(...cpu).toFixed(2)}`,
        ((median(cpu) / seconds) * 100).toFixed(1),
        ratio,
        median(row.runs.map((r) => r.rssMb)).toFixed(0),
        median(row.runs.map((r) => r.kbps)).toFixed(0),
        row.ssim?.toFixed(4) ?? '-',
        row.psnr?.toFixed(2) ?? '-',
        `${verdict(row.runs.map((r) => r.flvClean))} / ${verdict(row.runs.map((r) => r.hlsClean))}`,
      ]
        .join(' | ')
        .replace(/^/, '| ') + ' |',
    );
    for (const reason of new Set(row.runs.flatMap((r) => r.reasons))) lines.push(`| | | ↳ ${reason.slice(0, 160)} |`);
  }
  lines.push('', ...candidates.map((c) => `- ${c.name}: ${c.description}`), '');
  return lines.join('\n');
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
