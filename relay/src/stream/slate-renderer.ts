import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Slate } from '../../protocol/relay-protocol.schemas';
import { isAvcFrame, isAvcSequenceHeader, isKeyframeBody } from '../flv/codec-config';
import { parseFlv } from '../flv/flv-tags';
import type { PictureSize } from '../ffmpeg/output-format';
import { buildSlateArgs, wrapSlateText } from '../ffmpeg/slate-args';

/** The slate as FLV tag bodies, ready to be repeated with new timestamps. */
export interface SlateMedia {
  videoConfig: Buffer;
  /** One IDR picture: each repetition stands alone. */
  videoFrame: Buffer;
}

export const SLATE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 5000;
const RENDER_TIMEOUT_MS = 15_000;

export interface SlateRendererOptions {
  ffmpegPath: string;
  /** Rendered slates are kept here, one file per (size, text, image). */
  cacheDir: string;
  onWarning(message: string): void;
}

/** Renders slates with FFmpeg (once per distinct slate and size) and reads them back. */
export class SlateRenderer {
  private readonly inFlight = new Map<string, Promise<SlateMedia>>();

  constructor(private readonly options: SlateRendererOptions) {}

  render(slate: Slate, size: PictureSize): Promise<SlateMedia> {
    const key = createHash('sha256')
      .update(JSON.stringify([slate.text, slate.imageUrl, size.width, size.height]))
      .digest('hex')
      .slice(0, 24);
    let rendering = this.inFlight.get(key);
    if (!rendering) {
      rendering = this.renderOnce(key, slate, size);
      this.inFlight.set(key, rendering);
      rendering.catch(() => this.inFlight.delete(key));
    }
    return rendering;
  }

  private async renderOnce(key: string, slate: Slate, size: PictureSize): Promise<SlateMedia> {
    const dir = this.options.cacheDir;
    mkdirSync(dir, { recursive: true });
    const output = path.join(dir, `${key}.flv`);
    if (!existsSync(output)) {
      const textFile = path.join(dir, `${key}.txt`);
      const text = wrapSlateText(slate.text, size);
      if (text) writeFileSync(textFile, text);
      const imageFile = slate.imageUrl ? await this.download(slate.imageUrl, path.join(dir, `${key}.img`)) : null;
      const partial = `${output}.partial.flv`;
      await run(
        this.options.ffmpegPath,
        buildSlateArgs({
          size,
          textFile: text ? textFile : null,
          fontFile: existsSync(SLATE_FONT) ? SLATE_FONT : null,
          imageFile,
          outputFile: partial,
        }),
      );
      renameSync(partial, output);
      rmSync(textFile, { force: true });
      if (imageFile) rmSync(imageFile, { force: true });
    }
    return readSlate(readFileSync(output));
  }

  /** The app's image, if it can be had quickly and is an image; else the card goes without it. */
  private async download(url: string, file: string): Promise<string | null> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS), redirect: 'error' });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      if (!/^image\//.test(response.headers.get('content-type') ?? '')) throw new Error('not an image');
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > IMAGE_MAX_BYTES) throw new Error(`larger than ${IMAGE_MAX_BYTES} bytes`);
      writeFileSync(file, body);
      return file;
    } catch (error) {
      this.options.onWarning(`slate image not used: ${(error as Error).message}`);
      return null;
    }
  }
}

export function readSlate(flv: Buffer): SlateMedia {
  const tags = parseFlv(flv).tags;
  const videoConfig = tags.find((t) => t.kind === 'video' && isAvcSequenceHeader(t.data))?.data;
  const videoFrame = tags.find((t) => t.kind === 'video' && isAvcFrame(t.data) && isKeyframeBody(t.data))?.data;
  if (!videoConfig || !videoFrame) throw new Error('the rendered slate lacks a picture');
  return { videoConfig, videoFrame };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`slate rendering failed (${signal ?? code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}
