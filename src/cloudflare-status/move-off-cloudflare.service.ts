import { Injectable, Logger } from '@nestjs/common';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';
import { fallbackTarget } from '../strategies/choose-strategy';
import { CloudflareStrategy } from '../strategies/cloudflare.strategy';
import { RelayStrategy } from '../strategies/relay.strategy';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { ManagedStreamsRepository, StreamPatch, StreamRow } from '../stream-records/managed-streams.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { type NewStreamEvent, streamStatusEvent } from '../stream-records/stream-events';
import { strategyView } from '../strategies/stream-strategy';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';

export { NO_VIDEO_ERROR } from './cloudflare-media';

/** Why a stream leaves Cloudflare: the error code recorded on it (and that steers the user's next streams). */
export interface MoveOffReason {
  errorCode: string;
  message: string;
}

/**
 * Decides, on the stream's row as it is now, whether it must leave Cloudflare. Called on a fresh
 * read and again right before the move is written, so a decision made on an older view (a sweep's
 * snapshot, a poll) never moves a stream whose situation changed meanwhile.
 */
export type MoveOffDecision = (row: StreamRow) => MoveOffReason | null;

/**
 * A Cloudflare stream that Cloudflare errors on (e.g. ERR_GOP_OUT_OF_RANGE) or that stays
 * "connected" without live video moves to hybrid (our relay cleans the stream, Cloudflare keeps
 * fanning out) or to the relay alone; the apps get the new ingest URL in the status event.
 */
@Injectable()
export class MoveOffCloudflareService {
  private readonly logger = new Logger(MoveOffCloudflareService.name);

  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly transitions: StreamTransitions,
    private readonly strategies: StrategyRegistry,
    private readonly relay: RelayStrategy,
    private readonly cloudflare: CloudflareStrategy,
    private readonly publishKeys: PublishKeyService,
    private readonly cloudflareStreams: CloudflareStreamsRepository,
  ) {}

  /** Idempotent: a stream that already left Cloudflare (or ended), or whose reason went away, is left alone. */
  async move(streamId: string, decide: MoveOffDecision): Promise<'moved' | 'skipped'> {
    const stillOnCloudflare = (row: StreamRow) => row.strategy === 'cloudflare' && !isEnded(row.status);
    const holds = (row: StreamRow) => stillOnCloudflare(row) && decide(row) !== null;
    const row = await this.streams.findById(streamId);
    const reason = row && stillOnCloudflare(row) ? decide(row) : null;
    if (!row || !reason) return 'skipped';
    const { errorCode, message } = reason;
    const target = fallbackTarget(errorCode, await this.strategies.cloudflareHealthy());
    let relay;
    try {
      relay = await this.relay.provision(strategyView(row));
    } catch (error) {
      const why = `Cloudflare ${errorCode} (${message}) and no relay to move to: ${(error as Error).message}`;
      await this.transitions.transition({
        streamId: row.id,
        to: 'error',
        reason: why,
        patch: { cloudflareError: errorCode },
        onlyIf: holds,
      });
      return 'skipped';
    }
    const strategyReason = `moved from cloudflare to ${target}: ${errorCode}${message ? ` (${message})` : ''}`;
    const patch: StreamPatch = {
      strategy: target,
      strategyReason,
      relayId: relay.relayId,
      ingestBaseUrl: relay.ingestBaseUrl,
      publishKeyHash: relay.publishKeyHash,
      cloudflareError: errorCode,
      cloudflareConnectedAt: null,
      cloudflareVideoAt: null,
      hlsUrl: target === 'relay' ? relay.hlsUrl : row.hlsUrl,
      dashUrl: target === 'relay' ? null : row.dashUrl,
      hlsReadyAt: target === 'relay' ? null : row.hlsReadyAt,
    };
    if (target === 'relay')
      Object.assign(patch, { cloudflareLiveInputId: null, cloudflareIngestCipher: null, cloudflareState: null });
    const ingestUrl = this.publishKeys.publishUrl(relay.ingestBaseUrl, row.id);
    const data = { ingestUrl, strategy: target, cloudflareError: errorCode };
    // The glasses must reconnect to the new URL, so the stream waits for them again.
    const extra: NewStreamEvent[] =
      row.status === 'reconnecting'
        ? [streamStatusEvent(row.id, 'reconnecting', strategyReason, { from: row.status, ...data })]
        : [];
    const moved = await this.transitions.transition({
      streamId: row.id,
      to: 'reconnecting',
      reason: strategyReason,
      patch,
      events: extra,
      statusData: data,
      onlyIf: holds,
    });
    if (!moved) return 'skipped';
    // Only once the move is recorded: a move that did not happen must leave the live input alone.
    if (target === 'relay' && row.cloudflareLiveInputId) {
      await this.cloudflare.deleteOrRetryLater(row.cloudflareLiveInputId);
      await this.cloudflareStreams.clearOutputs(row.id);
    }
    this.logger.warn({ streamId: row.id, errorCode, target }, 'Stream moved off Cloudflare');
    return 'moved';
  }
}
