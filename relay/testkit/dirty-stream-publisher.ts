import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProcess, type ManagedProcess } from './child-process';
import { tagsForPass, type DirtyStream } from './dirty-stream-timeline';
import { copyPublishArgs } from './ffmpeg-args';
import { serializeFlvHeader, serializeFlvTag, type FlvTag } from './flv-tags';
import { connectRtmpPublisher } from './rtmp-publisher';

/**
 * Publishes a dirty stream in real time: Node paces each FLV tag by its planned wall time (not its
 * timestamp, which jumps) and hands it to a sink that speaks RTMP.
 */

export interface FlvSink {
  writeTag(tag: FlvTag): Promise<void>;
  /** Flush and disconnect cleanly. */
  close(): Promise<void>;
}

/**
 * `node` (default): our own RTMP client; every timestamp arrives as planned, backward jumps included.
 * `ffmpeg`: `ffmpeg -f flv -i pipe:0 -c copy`; its muxer turns a backward jump into frozen DTS.
 */
export type PublisherKind = 'node' | 'ffmpeg';

export interface PublishOptions {
  publisher?: PublisherKind;
  loop?: boolean;
  signal?: AbortSignal;
  ffmpegPath?: string;
  /** Replaces the RTMP speaker entirely (tests). */
  sink?: FlvSink;
  onPass?: (pass: number) => void;
}

export interface PublishReport {
  passes: number;
  tagsSent: number;
  elapsedMs: number;
  aborted: boolean;
}

export async function publishDirtyStream(
  stream: DirtyStream,
  rtmpUrl: string,
  options: PublishOptions = {},
): Promise<PublishReport> {
  const sink = options.sink ?? (await openSink(options.publisher ?? 'node', stream, rtmpUrl, options.ffmpegPath));
  const start = performance.now();
  let tagsSent = 0;
  let passes = 0;
  let aborted = false;
  try {
    do {
      options.onPass?.(passes);
      for (const tag of tagsForPass(stream, passes)) {
        const waitMs = start + tag.wallMs - performance.now();
        if (waitMs > 1) await sleep(waitMs, undefined, { signal: options.signal });
        await sink.writeTag(tag);
        tagsSent++;
      }
      passes++;
    } while (options.loop && !options.signal?.aborted);
  } catch (error) {
    if (!options.signal?.aborted) {
      await sink.close().catch(() => undefined);
      throw error;
    }
    aborted = true;
  }
  await sink.close();
  return { passes, tagsSent, elapsedMs: performance.now() - start, aborted };
}

function openSink(kind: PublisherKind, stream: DirtyStream, rtmpUrl: string, ffmpegPath?: string): Promise<FlvSink> {
  return kind === 'node' ? connectRtmpPublisher(rtmpUrl) : Promise.resolve(ffmpegCopySink(rtmpUrl, stream.hasAudio, ffmpegPath));
}

/**
 * `ffmpeg -f flv -i pipe:0 -c copy -f flv rtmp://...`. Forward jumps pass through (measured up to
 * +12 s: FLV input gets no discontinuity smoothing); its muxer turns a backward jump into a run of
 * frames with one frozen DTS.
 */
export function ffmpegCopySink(rtmpUrl: string, hasAudio: boolean, ffmpegPath = 'ffmpeg'): FlvSink {
  const ffmpeg = startProcess(ffmpegPath, copyPublishArgs(rtmpUrl));
  ffmpeg.stdin.write(serializeFlvHeader({ hasAudio, hasVideo: true }));
  return {
    writeTag: (tag) => writeTo(ffmpeg, serializeFlvTag(tag)),
    close: async () => {
      ffmpeg.stdin.end();
      const timer = setTimeout(() => void ffmpeg.stop(2000), 10_000);
      try {
        await ffmpeg.exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function writeTo(child: ManagedProcess, chunk: Buffer): Promise<void> {
  if (!child.isRunning()) throw new Error(`publisher ffmpeg exited: ${child.stderrTail()}`);
  if (child.stdin.write(chunk)) return;
  const drained = new Promise<void>((resolve) => child.stdin.once('drain', () => resolve()));
  const exited = child.exited.then(() => {
    throw new Error(`publisher ffmpeg exited: ${child.stderrTail()}`);
  });
  await Promise.race([drained, exited]);
}
