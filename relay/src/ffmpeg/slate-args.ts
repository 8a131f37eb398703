import { AUDIO, type PictureSize } from './output-format';

/**
 * Pure: the FFmpeg that renders a stream's slate once: one H.264 picture (the card, or the app's
 * image on it) and a few frames of silent AAC at the output's audio format, as FLV. The relay then
 * repeats that picture and one silent frame for as long as the glasses are gone.
 */

export interface SlateArgsInput {
  size: PictureSize;
  /** A file holding the text (drawtext's textfile: no escaping of what an app wrote). */
  textFile: string | null;
  fontFile: string | null;
  imageFile: string | null;
  outputFile: string;
}

export const SLATE_BACKGROUND = '0x161a22';

export function slateFontSize(size: PictureSize): number {
  return Math.max(16, Math.round(Math.min(size.width, size.height) / 16));
}

/** Breaks the text into lines that fit the picture (drawtext does not wrap). */
export function wrapSlateText(text: string, size: PictureSize): string {
  const perLine = Math.max(8, Math.floor((size.width * 0.85) / (slateFontSize(size) * 0.6)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    for (let piece = word; piece.length > 0; piece = piece.slice(perLine)) {
      const chunk = piece.slice(0, perLine);
      if (line && line.length + 1 + chunk.length > perLine) {
        lines.push(line);
        line = chunk;
      } else line = line ? `${line} ${chunk}` : chunk;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export function buildSlateArgs(input: SlateArgsInput): string[] {
  const { width, height } = input.size;
  const inputs = [
    ...['-f', 'lavfi', '-i', `color=c=${SLATE_BACKGROUND}:s=${width}x${height}:r=1`],
    ...['-f', 'lavfi', '-i', `anullsrc=r=${AUDIO.sampleRate}:cl=stereo`],
    ...(input.imageFile ? ['-i', input.imageFile] : []),
  ];
  const chains: string[] = [];
  let last = '0:v';
  if (input.imageFile) {
    const box = `${Math.round(width * 0.9)}:${Math.round(height * (input.textFile ? 0.6 : 0.9))}`;
    chains.push(`[2:v]scale=${box}:force_original_aspect_ratio=decrease[img]`);
    chains.push(`[${last}][img]overlay=(W-w)/2:(H-h)/2${input.textFile ? '-H/10' : ''}[withimg]`);
    last = 'withimg';
  }
  if (input.textFile) {
    const y = input.imageFile ? 'h*0.82-text_h/2' : '(h-text_h)/2';
    const font = input.fontFile ? `fontfile=${escapeFilterValue(input.fontFile)}:` : '';
    chains.push(
      `[${last}]drawtext=${font}textfile=${escapeFilterValue(input.textFile)}:fontcolor=white:fontsize=${slateFontSize(input.size)}:line_spacing=${Math.round(slateFontSize(input.size) / 3)}:x=(w-text_w)/2:y=${y}[withtext]`,
    );
    last = 'withtext';
  }
  chains.push(`[${last}]format=yuv420p,setsar=1[v]`);
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...inputs,
    ...['-filter_complex', chains.join(';'), '-map', '[v]', '-map', '1:a'],
    ...['-t', '0.5'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'stillimage', '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '64k', '-ar', String(AUDIO.sampleRate), '-ac', String(AUDIO.channels)],
    ...['-f', 'flv', input.outputFile],
  ];
}

/** Paths inside a filter graph: ours, so refuse rather than escape what its parser would read. */
function escapeFilterValue(path: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(path)) throw new RangeError(`slate files need plain paths: ${path}`);
  return path;
}
