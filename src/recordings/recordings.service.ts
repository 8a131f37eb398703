import { Inject, Injectable } from '@nestjs/common';
import type { RelayRecordingReport } from '../../relay/protocol/relay-protocol.schemas';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { RelaysRepository } from '../relays/relays.repository';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { RecordingLinks } from './recording-links';
import type { RecordingResponse } from './recording.schemas';
import { RecordingsRepository, type RecordingRow } from './recordings.repository';
import { retentionCutoff } from './recording-retention';

/**
 * Recordings of relay streams. The relay that writes a file reports it (one writer per fact: the
 * relay for status, size and duration; the API for the wish to delete). Deleting is asked of the
 * relay through its heartbeat, and the row goes once the relay confirms the file is gone.
 */
@Injectable()
export class RecordingsService {
  constructor(
    private readonly recordings: RecordingsRepository,
    private readonly streams: ManagedStreamsRepository,
    private readonly relays: RelaysRepository,
    private readonly links: RecordingLinks,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(appId: string, streamId: string): Promise<RecordingResponse[]> {
    await this.requireVisible(appId, streamId);
    const rows = await this.recordings.listForStream(streamId);
    const baseUrls = new Map<string, string | null>();
    for (const relayId of new Set(rows.map((row) => row.relayId))) {
      baseUrls.set(relayId, (await this.relays.findById(relayId))?.hlsBaseUrl ?? null);
    }
    return rows.map((row) => this.present(row, baseUrls.get(row.relayId) ?? null));
  }

  async delete(appId: string, streamId: string, recordingId: string): Promise<void> {
    await this.requireVisible(appId, streamId);
    const row = await this.recordings.findForStream(streamId, recordingId);
    if (!row) throw new NotFoundError(`No recording "${recordingId}" on this stream`);
    if (row.status === 'recording')
      throw new ConflictError('The recording is still being written; delete it once the stream has ended');
    await this.recordings.requestDeletion({ id: row.id }, this.clock.now());
  }

  async report(relayId: string, report: RelayRecordingReport): Promise<void> {
    const stream = await this.streams.findById(report.streamId);
    if (!stream || stream.userId !== report.userId) throw new NotFoundError(`No stream "${report.streamId}" for this user`);
    await this.recordings.upsertReport(relayId, report);
  }

  /** For a relay's heartbeat: forget what it deleted, and tell it what else to delete. */
  async heartbeat(relayId: string, deleted: readonly string[]): Promise<{ id: string; file: string }[]> {
    await this.recordings.deleteConfirmed(relayId, deleted);
    const pending = await this.recordings.pendingDeletions(relayId);
    return pending.map((row) => ({ id: row.id, file: row.path }));
  }

  /** The retention job: asks the relays to delete recordings past RECORDING_RETENTION_DAYS. */
  async expire(): Promise<number> {
    const now = this.clock.now();
    return this.recordings.requestDeletion({ startedBefore: retentionCutoff(now, this.config.RECORDING_RETENTION_DAYS) }, now);
  }

  private async requireVisible(appId: string, streamId: string): Promise<void> {
    if (!(await this.streams.findVisibleToApp(streamId, appId))) throw new NotFoundError(`No managed stream "${streamId}"`);
  }

  private present(row: RecordingRow, relayBaseUrl: string | null): RecordingResponse {
    return {
      id: row.id,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      durationSeconds: Math.round(row.durationSeconds * 10) / 10,
      sizeBytes: Number(row.sizeBytes),
      status: row.status === 'ready' || row.status === 'failed' ? row.status : 'recording',
      downloadUrl: row.status === 'recording' && row.sizeBytes === 0n ? null : this.links.link(relayBaseUrl, row.path),
    };
  }
}
