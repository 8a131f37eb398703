import { execFile } from 'node:child_process';
import { QUALITY_PROFILES } from './output-format';
import { HARDWARE_ENCODERS, videoEncoderArgs, type VideoEncoderName } from './video-encoders';

/**
 * Which H.264 encoder the relay uses, decided once at start-up. An encoder listed by `ffmpeg -encoders`
 * is only compiled in: the hardware may still be missing (no GPU, no driver, no device node), so each
 * candidate also has to encode one frame with the very options the relay will give it. Anything that
 * fails falls back to libx264, which the Debian FFmpeg always has.
 */

export type VideoEncoderSetting = 'auto' | VideoEncoderName;

export interface FfmpegRun {
  code: number | null;
  /** stdout and stderr together. */
  output: string;
}

/** Runs the FFmpeg binary with these arguments (injected: tests give a fake). */
export type RunFfmpeg = (args: readonly string[]) => Promise<FfmpegRun>;

export interface EncoderChoice {
  encoder: VideoEncoderName;
  /** One line for the start-up log: what was chosen and why. */
  summary: string;
  /** Set when the configured encoder could not be used: for the operator, logged as a warning. */
  warning: string | null;
  /** What was tried, in order, and why each failed. */
  trials: { encoder: VideoEncoderName; ok: boolean; reason: string }[];
}

/** Pure: the encoder names of `ffmpeg -hide_banner -encoders` (e.g. "libx264", "h264_nvenc"). */
export function parseEncoderList(output: string): Set<string> {
  const names = new Set<string>();
  let inList = false;
  for (const line of output.split('\n')) {
    if (/^\s*-{6}\s*$/.test(line)) {
      inList = true;
      continue;
    }
    // " V....D libx264    libx264 H.264 / AVC ...": six capability columns, the name, its description.
    const match = inList ? /^\s*([VASD.][F.][S.][X.][B.][D.])\s+(\S+)/.exec(line) : null;
    if (match) names.add(match[2]);
  }
  return names;
}

/** Pure: encode one black 1080p frame with the encoder's real options (device, upload, codec) to nowhere. */
export function trialEncodeArgs(encoder: VideoEncoderName): string[] {
  const video = videoEncoderArgs(encoder, QUALITY_PROFILES['1080p']);
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...video.deviceArgs,
    ...['-f', 'lavfi', '-i', 'color=c=black:s=1920x1080:r=30', '-frames:v', '1'],
    ...['-vf', `format=yuv420p${video.filterSuffix}`],
    ...video.codecArgs,
    ...['-an', '-f', 'null', '-'],
  ];
}

export async function chooseVideoEncoder(configured: VideoEncoderSetting, runFfmpeg: RunFfmpeg): Promise<EncoderChoice> {
  // libx264 is the default and needs no GPU: nothing to try.
  if (configured === 'libx264') return { encoder: 'libx264', summary: 'libx264 (configured)', warning: null, trials: [] };
  const listed = await listEncoders(runFfmpeg);
  const trials: EncoderChoice['trials'] = [];
  const candidates = configured === 'auto' ? HARDWARE_ENCODERS : [configured];
  for (const encoder of candidates) {
    const trial = listed.has(encoder) ? await tryEncoder(encoder, runFfmpeg) : { ok: false, reason: 'not in `ffmpeg -encoders`' };
    trials.push({ encoder, ...trial });
    if (trial.ok) return { encoder, summary: `${encoder} (${configured}: one-frame trial encode passed)`, warning: null, trials };
  }
  const why = trials.map((t) => `${t.encoder}: ${t.reason}`).join('; ');
  // `auto` on a machine without a GPU is the expected case, not a fault.
  const warning =
    configured === 'auto'
      ? null
      : `RELAY_VIDEO_ENCODER=${configured} does not work on this machine, encoding with libx264 instead (${why})`;
  return { encoder: 'libx264', summary: `libx264 (${configured}: no hardware encoder passed; ${why})`, warning, trials };
}

async function listEncoders(runFfmpeg: RunFfmpeg): Promise<Set<string>> {
  const result = await runFfmpeg(['-hide_banner', '-encoders']);
  return result.code === 0 ? parseEncoderList(result.output) : new Set();
}

async function tryEncoder(encoder: VideoEncoderName, runFfmpeg: RunFfmpeg): Promise<{ ok: boolean; reason: string }> {
  const result = await runFfmpeg(trialEncodeArgs(encoder));
  if (result.code === 0) return { ok: true, reason: 'one-frame trial encode passed' };
  // FFmpeg's last lines say why ("Cannot load libcuda.so.1", "No VA display found ...").
  const lines = result.output.trim().split('\n').filter(Boolean).slice(-3);
  return { ok: false, reason: `trial encode failed (exit ${result.code ?? 'killed'}): ${lines.join(' / ')}` };
}

/** The real runner: the configured FFmpeg binary, with a time limit (a hung driver must not hold start-up). */
export function ffmpegRunner(ffmpegPath: string, timeoutMs = 10_000): RunFfmpeg {
  return (args) =>
    new Promise((resolve) => {
      execFile(ffmpegPath, [...args], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      });
    });
}
