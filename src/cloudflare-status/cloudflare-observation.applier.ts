import { Injectable } from '@nestjs/common';
import { isPublishingState, streamStatusForCloudflareState } from '../cloudflare/cloudflare-live-status';
import type { LiveVideo } from '../cloudflare/cloudflare-stream.client';
import type { DestinationStatus } from '../generated/prisma/enums';
import type { StreamPatch, StreamRow } from '../stream-records/managed-streams.repository';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { type NewStreamEvent, streamPlaybackEvent } from '../stream-records/stream-events';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';

export interface CloudflareObservation {
  /** Cloudflare's live state ('connected', 'client_disconnect', ...) or undefined when not observed. */
  state?: string | null;
  /** The live input's live video, when one was seen. */
  liveVideo?: LiveVideo | null;
  source: 'poll' | 'listing' | 'webhook';
  at: Date;
}

/** Applies what Cloudflare told us about a live input to its stream and destinations. */
@Injectable()
export class CloudflareObservationApplier {
  constructor(
    private readonly transitions: StreamTransitions,
    private readonly destinationStatus: DestinationStatusRecorder,
  ) {}

  async apply(row: StreamRow, observation: CloudflareObservation): Promise<StreamRow> {
    if (isEnded(row.status)) return row;
    const patch: StreamPatch = { cloudflareStateAt: observation.at };
    const events: NewStreamEvent[] = [];
    const state = observation.state === undefined ? row.cloudflareState : observation.state;
    if (observation.state !== undefined) patch.cloudflareState = observation.state;
    if (isPublishingState(state ?? null)) {
      if (!row.cloudflareConnectedAt) patch.cloudflareConnectedAt = observation.at;
    } else if (observation.state !== undefined) {
      patch.cloudflareConnectedAt = null;
    }

    const video = observation.liveVideo;
    if (video?.hls && video.hls !== row.hlsUrl) {
      Object.assign(patch, { hlsUrl: video.hls, dashUrl: video.dash, hlsReadyAt: observation.at });
      events.push(streamPlaybackEvent(row.id, { hlsUrl: video.hls, dashUrl: video.dash, source: 'cloudflare' }));
    }

    // On hybrid streams the glasses talk to our relay, which reports the stream's status itself.
    const target = row.strategy === 'cloudflare' ? streamStatusForCloudflareState(state ?? null, row.status) : null;
    const reason = target ? `Cloudflare reports ${state} (${observation.source})` : null;
    const updated = (await this.transitions.transition({ streamId: row.id, to: target, reason, patch, events })) ?? row;
    if (row.strategy === 'cloudflare' && target) await this.reflectOnDestinations(updated, target === 'active');
    return updated;
  }

  /** Outputs carry no status on Cloudflare: they broadcast exactly while the input is live. */
  private async reflectOnDestinations(row: StreamRow, live: boolean): Promise<void> {
    for (const destination of row.destinations) {
      if (!destination.enabled || !destination.cloudflareOutputId) continue;
      const status: DestinationStatus = live ? 'broadcasting' : 'idle';
      if (destination.status === status || destination.status === 'failed') continue;
      await this.destinationStatus.record(row.id, destination, {
        status,
        reason: live ? 'Cloudflare output live' : 'Cloudflare input not live',
      });
    }
  }
}
