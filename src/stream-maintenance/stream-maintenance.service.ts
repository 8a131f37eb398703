import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { pruneCutoffs } from '../stream-history/stream-samples';
import { StreamSamplesRepository } from '../stream-history/stream-samples.repository';
import { StreamLifecycleService } from '../streams/stream-lifecycle.service';
import { StreamMaintenanceRepository } from './stream-maintenance.repository';
import {
  DestinationRepair,
  DURATION_LIMIT_REASON,
  durationLimitReached,
  planDestinationRepair,
  planStreamRepair,
  RepairLimits,
  StreamRepair,
} from './stream-repairs';

export interface MaintenanceReport {
  streams: StreamRepair[];
  destinations: DestinationRepair[];
  /** Chart samples deleted: past the live window, or of streams stopped longer than the retention. */
  samplesPruned: number;
}

/** Enforces duration limits, publish and reconnect timeouts, and repairs rows stuck mid-transition. */
@Injectable()
export class StreamMaintenanceService {
  private readonly logger = new Logger(StreamMaintenanceService.name);
  private readonly limits: RepairLimits;
  private readonly historyRetentionHours: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly candidates: StreamMaintenanceRepository,
    private readonly streams: ManagedStreamsRepository,
    private readonly lifecycle: StreamLifecycleService,
    private readonly transitions: StreamTransitions,
    private readonly destinationStatus: DestinationStatusRecorder,
    private readonly clock: Clock,
    private readonly samples: StreamSamplesRepository,
  ) {
    this.historyRetentionHours = config.STREAM_HISTORY_RETENTION_HOURS;
    this.limits = {
      publishTimeoutSeconds: config.STREAM_PUBLISH_TIMEOUT_SECONDS,
      reconnectTimeoutSeconds: config.STREAM_RECONNECT_TIMEOUT_SECONDS,
      initializingTimeoutSeconds: config.STREAM_INITIALIZING_TIMEOUT_SECONDS,
      stopGraceSeconds: config.STREAM_STOP_GRACE_SECONDS,
      destinationStartingTimeoutSeconds: config.DESTINATION_STARTING_TIMEOUT_SECONDS,
    };
  }

  /** Each repair re-reads its row and is skipped when the row moved on, so scans may overlap or repeat. */
  async scan(): Promise<MaintenanceReport> {
    const now = this.clock.now();
    const report: MaintenanceReport = { streams: [], destinations: [], samplesPruned: 0 };
    for (const candidate of await this.candidates.streamCandidates()) {
      const repair = planStreamRepair(candidate, now, this.limits);
      if (repair && (await this.applyStreamRepair(repair))) report.streams.push(repair);
    }
    const olderThan = new Date(now.getTime() - this.limits.destinationStartingTimeoutSeconds * 1000);
    for (const candidate of await this.candidates.destinationCandidates(olderThan)) {
      const repair = planDestinationRepair(candidate, now, this.limits);
      if (repair && (await this.applyDestinationRepair(repair))) report.destinations.push(repair);
    }
    report.samplesPruned = await this.samples.prune(pruneCutoffs(now, this.historyRetentionHours));
    return report;
  }

  /** The exact, delayed check scheduled when a stream with a duration limit becomes active. */
  async enforceDurationLimit(streamId: string): Promise<boolean> {
    const row = await this.streams.findById(streamId);
    if (!row || !durationLimitReached(row, this.clock.now())) return false;
    await this.lifecycle.stop(row, DURATION_LIMIT_REASON);
    this.logger.log({ streamId }, 'Stream stopped at its duration limit');
    return true;
  }

  private async applyStreamRepair(repair: StreamRepair): Promise<boolean> {
    const row = await this.streams.findById(repair.streamId);
    if (!row || row.status !== repair.from) return false;
    if (repair.action === 'stop') await this.lifecycle.stop(row, repair.reason);
    else await this.transitions.transition({ streamId: row.id, to: 'stopped', reason: repair.reason });
    this.logger.warn({ streamId: row.id, from: repair.from, reason: repair.reason }, 'Repaired a stream');
    return true;
  }

  private async applyDestinationRepair(repair: DestinationRepair): Promise<boolean> {
    const row = await this.streams.findById(repair.streamId);
    const destination = row?.destinations.find((d) => d.id === repair.destinationId);
    if (!destination || destination.status !== repair.from) return false;
    await this.destinationStatus.record(repair.streamId, destination, { status: repair.to, reason: repair.reason });
    return true;
  }
}
