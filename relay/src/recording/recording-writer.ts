import { statSync } from 'node:fs';
import path from 'node:path';
import type { RecordingStatus, RelayRecordingReport } from '../../protocol/relay-protocol.schemas';
import { isSequenceHeader, serializeFlvHeader, serializeFlvTag, type FlvTag } from '../flv/flv-tags';
import type { ManagedProcess, ManagedProcessOptions } from '../process/managed-process';
import { buildRecordingArgs } from './recording-args';

/** FFmpeg that cannot keep up this far is stuck: the recording fails rather than the agent's memory. */
const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

export interface RecordingWriterOptions {
  id: string;
  streamId: string;
  userId: string;
  dir: string;
  createProcess(options: Pick<ManagedProcessOptions, 'args' | 'stdin' | 'onExit'>): ManagedProcess;
  now(): number;
  graceMs: number;
  /** The process ended by itself (the recording failed). */
  onFailed(writer: RecordingWriter): void;
}

/**
 * One recording: a sink of the stream's MediaFanout (the clean tags every destination gets, slate
 * stretches included) piped into FFmpeg, which copies them into a fragmented MP4.
 *   recording → ready   (the stream ended and FFmpeg finished the file)
 *   recording → failed  (FFmpeg died, stalled or could not finish)
 */
export class RecordingWriter {
  private process: ManagedProcess | null = null;
  private current: RecordingStatus = 'recording';
  private error: string | undefined;
  private firstTs: number | null = null;
  private lastTs: number | null = null;
  private stopping: Promise<void> | null = null;
  readonly startedAt: number;
  private endedAt: number | null = null;
  readonly file: string;

  constructor(private readonly options: RecordingWriterOptions) {
    this.startedAt = options.now();
    this.file = `${options.streamId}-${options.id}.mp4`;
  }

  get status(): RecordingStatus {
    return this.current;
  }

  get path(): string {
    return path.join(this.options.dir, this.file);
  }

  /** `startTags`: what the stream's destinations start with (metadata, configurations, the current GOP). */
  start(startTags: readonly FlvTag[]): void {
    const process = this.options.createProcess({
      args: buildRecordingArgs(this.path),
      stdin: true,
      onExit: (exit) => {
        if (this.stopping) return;
        this.fail(`FFmpeg exited (${exit.signal ?? `code ${exit.code}`}): ${exit.stderrTail.slice(-2).join(' | ')}`);
      },
    });
    this.process = process;
    process.start();
    process.write(serializeFlvHeader({ hasAudio: true, hasVideo: true }));
    for (const tag of startTags) this.push(tag);
  }

  push(tag: FlvTag): void {
    if (this.current !== 'recording' || this.stopping || !this.process) return;
    if (this.process.stdinBacklog > MAX_BACKLOG_BYTES) {
      this.fail('FFmpeg stopped reading');
      this.process.kill();
      return;
    }
    // Sequence headers carry the stream's start time, not a picture's: the duration counts frames.
    if (tag.kind !== 'script' && !isSequenceHeader(tag)) {
      this.firstTs ??= tag.timestampMs;
      this.lastTs = Math.max(this.lastTs ?? tag.timestampMs, tag.timestampMs);
    }
    this.process.write(serializeFlvTag(tag));
  }

  /** Closing stdin lets FFmpeg write its last fragment; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  report(): RelayRecordingReport {
    return {
      id: this.options.id,
      streamId: this.options.streamId,
      userId: this.options.userId,
      status: this.current,
      file: this.file,
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: this.endedAt === null ? null : new Date(this.endedAt).toISOString(),
      durationSeconds: this.firstTs === null || this.lastTs === null ? 0 : (this.lastTs - this.firstTs) / 1000,
      sizeBytes: this.sizeBytes(),
      ...(this.error ? { error: this.error.slice(0, 500) } : {}),
    };
  }

  private async finish(): Promise<void> {
    const process = this.process;
    if (!process) return;
    if (this.current === 'recording') {
      process.endInput();
      const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), this.options.graceMs).unref());
      if ((await Promise.race([process.waitForExit(), grace])) === 'late') await process.stop(this.options.graceMs);
      const exit = await process.waitForExit();
      if (exit.code === 0 && !exit.requested) this.current = 'ready';
      else this.error = `FFmpeg did not finish the file (${exit.signal ?? `code ${exit.code}`})`;
      if (this.current !== 'ready') this.current = 'failed';
    } else {
      await process.stop(this.options.graceMs);
    }
    this.endedAt = this.options.now();
  }

  private fail(reason: string): void {
    if (this.current !== 'recording') return;
    this.current = 'failed';
    this.error = reason;
    this.endedAt = this.options.now();
    this.options.onFailed(this);
  }

  private sizeBytes(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }
}
