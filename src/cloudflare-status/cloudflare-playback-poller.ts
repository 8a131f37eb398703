import { Inject, Injectable } from '@nestjs/common';
import { CloudflareApiBudget } from '../cloudflare/cloudflare-api-budget';
import { CloudflareStreamClient } from '../cloudflare/cloudflare-stream.client';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { isEnded } from '../stream-records/stream-status';
import { CloudflareObservationApplier } from './cloudflare-observation.applier';
import { isPublishingState } from '../cloudflare/cloudflare-live-status';
import { noVideoRejection } from './cloudflare-media';
import { MoveOffCloudflareService } from './move-off-cloudflare.service';

/** done: nothing more to poll; wait: poll again after `delayMs`. */
export type PlaybackPollOutcome = { done: true; result: string } | { done: false; delayMs: number };

/**
 * After provisioning on Cloudflare, asks the live input's videos until the `live-inprogress`
 * one shows playback URLs; a stream "connected" without video past the limit leaves Cloudflare.
 */
@Injectable()
export class CloudflarePlaybackPoller {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly client: CloudflareStreamClient,
    private readonly applier: CloudflareObservationApplier,
    private readonly mover: MoveOffCloudflareService,
    private readonly budget: CloudflareApiBudget,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async poll(streamId: string): Promise<PlaybackPollOutcome> {
    const row = await this.streams.findById(streamId);
    if (!row || isEnded(row.status) || !row.cloudflareLiveInputId || row.strategy === 'relay') {
      return { done: true, result: 'stream not on Cloudflare any more' };
    }
    // Cloudflare's playback always comes with DASH; the relay's (hybrid, before Cloudflare plays) never does.
    if (row.dashUrl) return { done: true, result: 'playback known' };
    const now = this.clock.now();
    const ageMs = now.getTime() - row.createdAt.getTime();
    const limitMs = this.config.CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS * 1000;
    // Past the timeout only glasses connected right now are still worth waiting for: the no-video
    // rule, measured from their current connection, settles them.
    if (ageMs > this.config.CLOUDFLARE_PLAYBACK_TIMEOUT_SECONDS * 1000 && !isPublishingState(row.cloudflareState)) {
      // The glasses never came (or left): the lifecycle's publish timeout ends the stream; the sweep still watches.
      return { done: true, result: 'gave up waiting for playback' };
    }
    // Under budget pressure the status sweep's account-wide listing finds playback for every stream
    // at once; one call per stream would only crowd it out.
    if ((await this.budget.backgroundRoom()) < this.budget.limitFor('background') / 2) return { done: false, delayMs: 15_000 };
    const video = (await this.client.listVideosOfInput(row.cloudflareLiveInputId)).find(
      (v) => v.state === 'live-inprogress' && v.hls,
    );
    if (video) {
      await this.applier.apply(row, { state: 'connected', liveVideo: video, source: 'poll', at: now });
      return { done: true, result: 'playback found' };
    }
    const noVideo = (current: typeof row) => noVideoRejection(current, now, limitMs);
    if (noVideo(row) && (await this.mover.move(row.id, noVideo)) === 'moved') {
      return { done: true, result: 'no video; moved off Cloudflare' };
    }
    // Quick while the glasses are expected any moment, slower once the wait gets long.
    return { done: false, delayMs: ageMs < 60_000 || row.cloudflareConnectedAt ? 3_000 : 10_000 };
  }
}
