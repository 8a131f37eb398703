import { Injectable } from '@nestjs/common';
import { isPublishingState, streamStatusForCloudflareState } from '../cloudflare/cloudflare-live-status';
import type { LiveVideo } from '../cloudflare/cloudflare-stream.client';
import type { StreamPatch, StreamRow } from '../stream-records/managed-streams.repository';
import { type NewStreamEvent, streamPlaybackEvent } from '../stream-records/stream-events';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';
import { CloudflareDestinationStatusSync } from './cloudflare-destination-status.sync';

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
    private readonly destinations: CloudflareDestinationStatusSync,
  ) {}

  async apply(row: StreamRow, observation: CloudflareObservation): Promise<StreamRow> {
    if (isEnded(row.status)) return row;
    const patch: StreamPatch = { cloudflareStateAt: observation.at };
    const events: NewStreamEvent[] = [];
    const state = observation.state === undefined ? row.cloudflareState : observation.state;
    if (observation.state !== undefined) patch.cloudflareState = observation.state;
    const publishing = isPublishingState(state ?? null);
    if (publishing) {
      if (!row.cloudflareConnectedAt) patch.cloudflareConnectedAt = observation.at;
    } else if (observation.state !== undefined) {
      patch.cloudflareConnectedAt = null;
    }
    // Video seen during this connection; a new connection starts without until its video shows.
    const connectionVideoAt = publishing && row.cloudflareConnectedAt ? row.cloudflareVideoAt : null;
    const videoAt = publishing && observation.liveVideo ? (connectionVideoAt ?? observation.at) : connectionVideoAt;
    if (videoAt !== row.cloudflareVideoAt) patch.cloudflareVideoAt = videoAt;

    const video = observation.liveVideo;
    if (video?.hls && video.hls !== row.hlsUrl) {
      Object.assign(patch, { hlsUrl: video.hls, dashUrl: video.dash, hlsReadyAt: observation.at });
      events.push(streamPlaybackEvent(row.id, { hlsUrl: video.hls, dashUrl: video.dash, source: 'cloudflare' }));
    }

    // On hybrid streams the glasses talk to our relay, which reports the stream's status itself.
    const target =
      row.strategy === 'cloudflare' ? streamStatusForCloudflareState(state ?? null, row.status, videoAt !== null) : null;
    const reason = target ? `Cloudflare reports ${state} (${observation.source})` : null;
    const updated = (await this.transitions.transition({ streamId: row.id, to: target, reason, patch, events })) ?? row;
    await this.destinations.reflect(updated);
    return updated;
  }
}
