import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProcess, type ManagedProcess } from './child-process';
import { tagsForPass, type DirtyStream, type StreamSession, type TimedTag } from './dirty-stream-timeline';
import { copyPublishArgs } from './ffmpeg-args';
import { serializeFlvHeader, serializeFlvTag, type FlvTag } from './flv-tags';
import { connectRtmpPublisher } from './rtmp-publisher';

/**
 * Publishes a dirty stream in real time: Node paces each FLV tag by its planned wall time (not its
 * timestamp, which jumps) and hands it to a sink that speaks RTMP. A stream with drops is published
 * as one connection per session: at a drop the sink is closed (or abandoned), and at the return a
 * new one is opened to the same URL.
 */

export interface FlvSink {
  writeTag(tag: FlvTag): Promise<void>;
  /** Flush and disconnect cleanly. */
  close(): Promise<void>;
  /** Drop the connection without a goodbye (no FCUnpublish/deleteStream). Without it, `close` is used. */
  abandon?(): void;
}

/**
 * `node` (default): our own RTMP client; every timestamp arrives as planned, backward jumps included.
 * `ffmpeg`: `ffmpeg -f flv -i pipe:0 -c copy`; its muxer turns a backward jump into frozen DTS.
 */
export type PublisherKind = 'node' | 'ffmpeg';

export interface PublishOptions {
  publisher?: PublisherKind;
  /** Not for streams with drops. */
  loop?: boolean;
  signal?: AbortSignal;
  ffmpegPath?: string;
  /** Replaces the RTMP speaker entirely (tests); single-session streams only. */
  sink?: FlvSink;
  /** Replaces the RTMP speaker once per session (tests of drops). */
  openSink?: (session: StreamSession) => Promise<FlvSink>;
  onPass?: (pass: number) => void;
  onSession?: (event: SessionEvent) => void;
}

/** `connected`: the publish was accepted; `dropped`: the connection was closed or abandoned at a planned drop. */
export interface SessionEvent {
  type: 'connected' | 'dropped';
  session: number;
  /** Date.now() when it happened. */
  at: number;
  /** ms after the publish started (the plan's wall clock, as measured). */
  elapsedMs: number;
  abrupt?: boolean;
}

export interface PublishReport {
  passes: number;
  tagsSent: number;
  elapsedMs: number;
  aborted: boolean;
  /** Every connect and drop, in order. */
  events: SessionEvent[];
}

export async function publishDirtyStream(
  stream: DirtyStream,
  rtmpUrl: string,
  options: PublishOptions = {},
): Promise<PublishReport> {
  if (stream.sessions.length > 1) {
    if (options.loop) throw new RangeError('a stream with drops cannot be looped: make it longer instead');
    if (options.sink) throw new RangeError('a stream with drops needs openSink (one sink per session), not sink');
  }
  const open = (session: StreamSession): Promise<FlvSink> =>
    options.openSink?.(session) ?? openSink(options.publisher ?? 'node', stream, rtmpUrl, options.ffmpegPath);
  const events: SessionEvent[] = [];
  // The first connection is made before the clock starts, so its tags are paced from the publish on.
  let sink: FlvSink | undefined = options.sink ?? (await open(stream.sessions[0]));
  const start = performance.now();
  const emit = (event: Omit<SessionEvent, 'at' | 'elapsedMs'>): void => {
    const full = { ...event, at: Date.now(), elapsedMs: performance.now() - start };
    events.push(full);
    options.onSession?.(full);
  };
  const waitUntil = async (wallMs: number): Promise<void> => {
    const waitMs = start + wallMs - performance.now();
    if (waitMs > 1) await sleep(waitMs, undefined, { signal: options.signal });
  };
  let tagsSent = 0;
  let passes = 0;
  let aborted = false;
  const send = async (tags: readonly TimedTag[], to: FlvSink): Promise<void> => {
    for (const tag of tags) {
      await waitUntil(tag.wallMs);
      await to.writeTag(tag);
      tagsSent++;
    }
  };
  try {
    for (const session of stream.sessions) {
      await waitUntil(session.startWallMs);
      sink ??= await open(session);
      emit({ type: 'connected', session: session.index });
      if (session.end === 'final') break;
      await send(session.tags, sink);
      await waitUntil(session.endWallMs);
      const abrupt = session.end === 'abrupt';
      const leaving = sink;
      sink = undefined;
      if (abrupt && leaving.abandon) leaving.abandon();
      else await leaving.close();
      emit({ type: 'dropped', session: session.index, abrupt });
    }
    // The last (or only) session: looped passes continue on its connection.
    const last = stream.sessions[stream.sessions.length - 1];
    do {
      options.onPass?.(passes);
      if (!sink) throw new Error('no open publisher for the last session');
      await send(passes === 0 ? last.tags : tagsForPass(stream, passes), sink);
      passes++;
    } while (options.loop && !options.signal?.aborted);
  } catch (error) {
    if (!options.signal?.aborted) {
      await sink?.close().catch(() => undefined);
      throw error;
    }
    aborted = true;
  }
  await sink?.close();
  return { passes, tagsSent, elapsedMs: performance.now() - start, aborted, events };
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
    // SIGKILL: the kernel closes the socket; FFmpeg says nothing more to the server.
    abandon: () => ffmpeg.kill(),
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
