import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RelayRecordingReport } from '../../protocol/relay-protocol.schemas';
import type { ManagedProcess, ManagedProcessOptions } from '../process/managed-process';
import type { StreamIdentity } from '../stream/stream-pipeline';
import { RecordingWriter } from './recording-writer';

export interface RelayRecordingsDeps {
  dir: string;
  createProcess(label: string, options: Pick<ManagedProcessOptions, 'args' | 'stdin' | 'onExit'>): ManagedProcess;
  /** Tells the API; a failed report is retried by the next periodic one (while the recording lives). */
  report(report: RelayRecordingReport): Promise<void>;
  warn(message: string, context: object): void;
  graceMs: number;
  now(): number;
}

/**
 * The relay's recordings: a writer per recording stream session, their reports to the API, and the
 * files the API wants gone. The API's row is the record; the relay only says what it wrote.
 */
export class RelayRecordings {
  private readonly writing = new Set<RecordingWriter>();
  /** Deleted here and not yet confirmed to the API (sent with the next heartbeat). */
  private readonly deleted = new Set<string>();

  constructor(private readonly deps: RelayRecordingsDeps) {
    mkdirSync(deps.dir, { recursive: true });
  }

  /** A recording for a stream session: reports start, and end once the pipeline stops it. */
  start(stream: StreamIdentity): { start: RecordingWriter['start']; push: RecordingWriter['push']; stop(): Promise<void> } {
    const writer: RecordingWriter = new RecordingWriter({
      id: `rec_${randomBytes(9).toString('base64url')}`,
      streamId: stream.streamId,
      userId: stream.userId,
      dir: this.deps.dir,
      createProcess: (options) => this.deps.createProcess(`${stream.streamId}-recording`, options),
      now: () => this.deps.now(),
      graceMs: this.deps.graceMs,
      onFailed: (failed) => {
        this.deps.warn('recording failed', { streamId: stream.streamId, error: failed.report().error });
        void this.send(failed);
      },
    });
    this.writing.add(writer);
    return {
      start: (tags) => {
        writer.start(tags);
        void this.send(writer);
      },
      push: (tag) => writer.push(tag),
      stop: async () => {
        await writer.stop();
        this.writing.delete(writer);
        await this.send(writer);
      },
    };
  }

  /** Size and duration so far, for the API's list. */
  reportProgress(): void {
    for (const writer of this.writing) void this.send(writer);
  }

  /** The API's deletions (idempotent: a file already gone is deleted too). */
  remove(recordings: readonly { id: string; file: string }[]): void {
    for (const { id, file } of recordings) {
      rmSync(path.join(this.deps.dir, path.basename(file)), { force: true });
      this.deleted.add(id);
    }
  }

  /** What to confirm in the next heartbeat; `confirmed` once the API took it. */
  pendingDeletions(): { ids: string[]; confirmed(): void } {
    const ids = [...this.deleted];
    return { ids, confirmed: () => ids.forEach((id) => this.deleted.delete(id)) };
  }

  private async send(writer: RecordingWriter): Promise<void> {
    const report = writer.report();
    try {
      await this.deps.report(report);
    } catch (error) {
      this.deps.warn('recording report failed', { streamId: report.streamId, error: (error as Error).message });
    }
  }
}
