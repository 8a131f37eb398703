import { Injectable, Logger } from '@nestjs/common';
import { EncryptionService } from '../common/crypto/encryption.service';
import type { DestinationProvisionResult, StrategyDestination, StrategyStream } from './stream-strategy';
import { CloudflareCircuitBreaker } from '../cloudflare/cloudflare-circuit-breaker';
import { CloudflareCallError, classifyCloudflareError } from '../cloudflare/cloudflare-errors';
import { CloudflareStreamClient } from '../cloudflare/cloudflare-stream.client';

export const MAX_OUTPUTS_PER_LIVE_INPUT = 50;

export interface ProvisionedLiveInput {
  liveInputId: string;
  /** RTMPS URL without the key, e.g. rtmps://live.cloudflare.com:443/live/ */
  ingestBaseUrl: string;
  ingestCipher: string;
  webRtcUrl: string | null;
  destinations: Record<string, DestinationProvisionResult>;
}

/**
 * A Live Input and its Outputs on Cloudflare Stream: shared by the cloudflare strategy (glasses
 * push to the input) and the hybrid one (our relay pushes the cleaned stream to it).
 */
@Injectable()
export class CloudflareCarrier {
  private readonly logger = new Logger(CloudflareCarrier.name);

  constructor(
    private readonly client: CloudflareStreamClient,
    private readonly breaker: CloudflareCircuitBreaker,
    private readonly encryption: EncryptionService,
  ) {}

  /** Creates the input and one output per enabled destination; on failure nothing is left behind. */
  async provision(stream: StrategyStream, destinations: readonly StrategyDestination[]): Promise<ProvisionedLiveInput> {
    let liveInputId: string | null = null;
    try {
      const input = await this.client.createLiveInput({
        name: `glasses ${stream.userId} ${stream.id}`,
        service: 'glasses-restream',
        streamId: stream.id,
        userId: stream.userId,
      });
      liveInputId = input.uid;
      const results: Record<string, DestinationProvisionResult> = {};
      let outputs = 0;
      for (const destination of destinations.filter((d) => d.enabled)) {
        if (outputs >= MAX_OUTPUTS_PER_LIVE_INPUT) {
          results[destination.id] = { cloudflareOutputId: null, error: tooManyOutputs() };
          continue;
        }
        results[destination.id] = await this.createOutputOrRecord(input.uid, destination);
        if (results[destination.id].cloudflareOutputId) outputs++;
      }
      await this.breaker.recordSuccess();
      return {
        liveInputId: input.uid,
        ingestBaseUrl: input.rtmpsUrl,
        ingestCipher: this.encryption.encrypt(joinIngest(input.rtmpsUrl, input.rtmpsStreamKey), 'stream-key'),
        webRtcUrl: input.webRtcUrl,
        destinations: results,
      };
    } catch (error) {
      const failure = classifyCloudflareError('provision', error);
      await this.breaker.recordFailure(failure);
      if (liveInputId) await this.deleteLiveInputQuietly(liveInputId);
      throw failure;
    }
  }

  async addOutput(stream: StrategyStream, destination: StrategyDestination): Promise<DestinationProvisionResult> {
    if (!stream.cloudflareLiveInputId || !destination.enabled) return { cloudflareOutputId: null };
    return this.createOutputOrRecord(stream.cloudflareLiveInputId, destination);
  }

  async removeOutput(stream: StrategyStream, destination: StrategyDestination): Promise<void> {
    if (!stream.cloudflareLiveInputId || !destination.cloudflareOutputId) return;
    try {
      await this.client.deleteOutput(stream.cloudflareLiveInputId, destination.cloudflareOutputId);
    } catch (error) {
      if (classifyCloudflareError('delete output', error).kind !== 'not_found') throw error;
    }
  }

  /** Disabling keeps the output (enabled: false); enabling one that never had an output creates it. */
  async setOutputEnabled(
    stream: StrategyStream,
    destination: StrategyDestination,
    enabled: boolean,
  ): Promise<DestinationProvisionResult> {
    if (!stream.cloudflareLiveInputId) return {};
    if (!destination.cloudflareOutputId) {
      return enabled ? this.createOutputOrRecord(stream.cloudflareLiveInputId, { ...destination, enabled }) : {};
    }
    await this.client.setOutputEnabled(stream.cloudflareLiveInputId, destination.cloudflareOutputId, enabled);
    return {};
  }

  /** Deleting the input deletes its outputs too (one call instead of one per output). */
  async deleteLiveInput(liveInputId: string): Promise<void> {
    try {
      await this.client.deleteLiveInput(liveInputId);
    } catch (error) {
      if (classifyCloudflareError('delete live input', error).kind !== 'not_found') throw error;
    }
  }

  /** A refused destination (4xx) is the destination's problem, not the stream's: record it and go on. */
  private async createOutputOrRecord(liveInputId: string, destination: StrategyDestination): Promise<DestinationProvisionResult> {
    const output = { url: destination.ingestUrl, streamKey: destination.streamKey, enabled: destination.enabled };
    try {
      return { cloudflareOutputId: await this.client.createOutput(liveInputId, output) };
    } catch (error) {
      const failure = classifyCloudflareError('create output', error);
      if (failure.kind !== 'rejected') throw failure;
      return { cloudflareOutputId: null, error: `Cloudflare refused this destination: ${failure.message}` };
    }
  }

  private async deleteLiveInputQuietly(liveInputId: string): Promise<void> {
    try {
      await this.deleteLiveInput(liveInputId);
    } catch (error) {
      // The orphan sweeper finds it later by its meta.
      this.logger.warn(
        { liveInputId, err: (error as CloudflareCallError).message },
        'Could not delete a half-provisioned live input',
      );
    }
  }
}

function joinIngest(rtmpsUrl: string, streamKey: string): string {
  return `${rtmpsUrl.endsWith('/') ? rtmpsUrl : `${rtmpsUrl}/`}${streamKey}`;
}

function tooManyOutputs(): string {
  return `Cloudflare allows at most ${MAX_OUTPUTS_PER_LIVE_INPUT} outputs per live input`;
}
