import { Injectable } from '@nestjs/common';
import type { DestinationProvisionResult } from './stream-strategy';
import { DestinationRow, ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';

/** Stores what a carrier made of each destination: its output id, or why it refused it. */
@Injectable()
export class DestinationProvisionResults {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly destinationStatus: DestinationStatusRecorder,
  ) {}

  async apply(streamId: string, destination: DestinationRow, result: DestinationProvisionResult): Promise<DestinationRow> {
    if (result.error) {
      return this.destinationStatus.record(streamId, destination, {
        status: 'failed',
        reason: result.error,
        also: { lastError: result.error, cloudflareOutputId: result.cloudflareOutputId ?? null },
      });
    }
    if (result.cloudflareOutputId === undefined || result.cloudflareOutputId === destination.cloudflareOutputId)
      return destination;
    const updated = await this.streams.updateDestination(
      streamId,
      destination.id,
      { cloudflareOutputId: result.cloudflareOutputId },
      [],
      false,
    );
    return updated.destination;
  }

  /** Returns the destinations as stored afterwards (each one, changed or not). */
  async applyAll(
    streamId: string,
    destinations: readonly DestinationRow[],
    results: Record<string, DestinationProvisionResult>,
  ): Promise<DestinationRow[]> {
    const stored: DestinationRow[] = [];
    for (const destination of destinations) {
      const result = results[destination.id];
      stored.push(result ? await this.apply(streamId, destination, result) : destination);
    }
    return stored;
  }
}
