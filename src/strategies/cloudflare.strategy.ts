import { Injectable, Logger } from '@nestjs/common';
import { CloudflareCarrier } from './cloudflare-carrier';
import { classifyCloudflareError } from '../cloudflare/cloudflare-errors';
import { CloudflareJobsProducer } from '../queues/cloudflare-jobs.producer';
import type {
  DestinationProvisionResult,
  ProvisionResult,
  StrategyDestination,
  StrategyStream,
  StreamStrategy,
} from './stream-strategy';

/**
 * Cloudflare Stream: the glasses push to a Live Input, which fans out through one Output per
 * enabled destination and serves HLS/DASH. Transient failures on live destination changes are
 * left to a reconcile job rather than failing the app's request.
 */
@Injectable()
export class CloudflareStrategy implements StreamStrategy {
  readonly name = 'cloudflare' as const;
  readonly provisionsBeforeInsert = false;
  private readonly logger = new Logger(CloudflareStrategy.name);

  constructor(
    private readonly carrier: CloudflareCarrier,
    private readonly jobs: CloudflareJobsProducer,
  ) {}

  async provision(stream: StrategyStream, destinations: readonly StrategyDestination[]): Promise<ProvisionResult> {
    const input = await this.carrier.provision(stream, destinations);
    await this.jobs.schedulePlaybackPoll(stream.id);
    return {
      ingestBaseUrl: input.ingestBaseUrl,
      publishKeyHash: null,
      relayId: null,
      cloudflareLiveInputId: input.liveInputId,
      cloudflareIngestCipher: input.ingestCipher,
      hlsUrl: null,
      dashUrl: null,
      webrtcUrl: stream.enableWebRTC ? input.webRtcUrl : null,
      destinations: input.destinations,
    };
  }

  addDestination(stream: StrategyStream, destination: StrategyDestination): Promise<DestinationProvisionResult> {
    return this.orReconcile(stream, () => this.carrier.addOutput(stream, destination));
  }

  async removeDestination(stream: StrategyStream, destination: StrategyDestination): Promise<void> {
    await this.orReconcile(stream, async () => {
      await this.carrier.removeOutput(stream, destination);
      return {};
    });
  }

  setDestinationEnabled(
    stream: StrategyStream,
    destination: StrategyDestination,
    enabled: boolean,
  ): Promise<DestinationProvisionResult> {
    return this.orReconcile(stream, () => this.carrier.setOutputEnabled(stream, destination, enabled));
  }

  async stop(stream: StrategyStream): Promise<'stopped' | 'stopping'> {
    if (stream.cloudflareLiveInputId) await this.deleteOrRetryLater(stream.cloudflareLiveInputId);
    return 'stopped';
  }

  async deleteOrRetryLater(liveInputId: string): Promise<void> {
    try {
      await this.carrier.deleteLiveInput(liveInputId);
    } catch (error) {
      this.logger.warn(
        { liveInputId, err: classifyCloudflareError('delete', error).message },
        'Live input delete will be retried',
      );
      await this.jobs.scheduleDeleteLiveInput(liveInputId);
    }
  }

  /** A transient Cloudflare failure must not lose the app's change: the reconcile job applies it. */
  private async orReconcile(
    stream: StrategyStream,
    change: () => Promise<DestinationProvisionResult>,
  ): Promise<DestinationProvisionResult> {
    try {
      return await change();
    } catch (error) {
      const failure = classifyCloudflareError('destination change', error);
      if (failure.kind !== 'transient') return { error: failure.message };
      await this.jobs.scheduleReconcileOutputs(stream.id);
      return {};
    }
  }
}
