import { Injectable, Logger } from '@nestjs/common';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';
import { fallbackTarget } from '../strategies/choose-strategy';
import { CloudflareStrategy } from '../strategies/cloudflare.strategy';
import { RelayStrategy } from '../strategies/relay.strategy';
import { StrategyRegistry } from '../strategies/strategy-registry';
import { ManagedStreamsRepository, StreamPatch } from '../stream-records/managed-streams.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { type NewStreamEvent, streamStatusEvent } from '../stream-records/stream-events';
import { strategyView } from '../strategies/stream-strategy';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';

export const NO_VIDEO_ERROR = 'ERR_NO_VIDEO';

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

  /** Idempotent: a stream that already left Cloudflare (or ended) is left alone. */
  async move(streamId: string, errorCode: string, message: string): Promise<'moved' | 'skipped'> {
    const row = await this.streams.findById(streamId);
    if (!row || row.strategy !== 'cloudflare' || isEnded(row.status)) return 'skipped';
    const target = fallbackTarget(errorCode, await this.strategies.cloudflareHealthy());
    let relay;
    try {
      relay = await this.relay.provision(strategyView(row));
    } catch (error) {
      const reason = `Cloudflare ${errorCode} (${message}) and no relay to move to: ${(error as Error).message}`;
      await this.transitions.transition({ streamId: row.id, to: 'error', reason, patch: { cloudflareError: errorCode } });
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
      hlsUrl: target === 'relay' ? relay.hlsUrl : row.hlsUrl,
      dashUrl: target === 'relay' ? null : row.dashUrl,
      hlsReadyAt: target === 'relay' ? null : row.hlsReadyAt,
    };
    if (target === 'relay') {
      if (row.cloudflareLiveInputId) await this.cloudflare.deleteOrRetryLater(row.cloudflareLiveInputId);
      Object.assign(patch, { cloudflareLiveInputId: null, cloudflareIngestCipher: null, cloudflareState: null });
      await this.cloudflareStreams.clearOutputs(row.id);
    }
    const ingestUrl = this.publishKeys.publishUrl(relay.ingestBaseUrl, row.id);
    const data = { ingestUrl, strategy: target, cloudflareError: errorCode };
    // The glasses must reconnect to the new URL, so the stream waits for them again.
    const extra: NewStreamEvent[] =
      row.status === 'reconnecting'
        ? [streamStatusEvent(row.id, 'reconnecting', strategyReason, { from: row.status, ...data })]
        : [];
    await this.transitions.transition({
      streamId: row.id,
      to: 'reconnecting',
      reason: strategyReason,
      patch,
      events: extra,
      statusData: data,
    });
    this.logger.warn({ streamId: row.id, errorCode, target }, 'Stream moved off Cloudflare');
    return 'moved';
  }
}
