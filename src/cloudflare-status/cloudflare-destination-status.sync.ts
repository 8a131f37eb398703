import { Injectable } from '@nestjs/common';
import type { StreamRow } from '../stream-records/managed-streams.repository';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import type { DestinationStatus } from '../stream-records/stream-status';
import { isEnded } from '../stream-records/stream-status';
import { cloudflareDestinationStatus, mediaFlowing } from './cloudflare-media';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';

function reasonFor(status: DestinationStatus, flowing: boolean): string {
  if (status === 'broadcasting') return 'Cloudflare output live';
  if (status === 'stopped') return 'disabled';
  return flowing ? 'no Cloudflare output yet' : 'no media reaching Cloudflare';
}

/**
 * Cloudflare outputs carry no status of their own: each destination on a Cloudflare-carried stream
 * (cloudflare, or hybrid's Cloudflare side) follows its output and the media reaching the live input,
 * whenever either changes: an observation, or a destination added, enabled or disabled meanwhile.
 */
@Injectable()
export class CloudflareDestinationStatusSync {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly cloudflareStreams: CloudflareStreamsRepository,
    private readonly destinationStatus: DestinationStatusRecorder,
  ) {}

  /** Records every destination of the stream whose status is not what its output says; returns how many. */
  async reflect(row: StreamRow): Promise<number> {
    if (row.strategy === 'relay' || !row.cloudflareLiveInputId || isEnded(row.status)) return 0;
    const flowing = mediaFlowing(row);
    let changed = 0;
    for (const destination of row.destinations) {
      const status = cloudflareDestinationStatus(flowing, destination);
      if (!status) continue;
      await this.destinationStatus.record(row.id, destination, { status, reason: reasonFor(status, flowing) });
      changed++;
    }
    return changed;
  }

  /** One query finds the streams with a destination out of step; each is re-read before it is changed. */
  async sweep(): Promise<number> {
    let changed = 0;
    for (const streamId of await this.cloudflareStreams.idsWithDestinationsOutOfStep()) {
      const row = await this.streams.findById(streamId);
      if (row) changed += await this.reflect(row);
    }
    return changed;
  }
}
