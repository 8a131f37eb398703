import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CloudflareApiBudget } from '../cloudflare/cloudflare-api-budget';
import { CloudflareCallError } from '../cloudflare/cloudflare-errors';
import { isPublishingState, LIVE_VIDEO_ENDED, parseCloudflareLiveStatus } from '../cloudflare/cloudflare-live-status';
import { CloudflareStreamClient, LIVE_VIDEO_PAGE_SIZE, LiveVideo } from '../cloudflare/cloudflare-stream.client';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { CloudflareObservation, CloudflareObservationApplier } from './cloudflare-observation.applier';
import { CloudflareStreamsRepository, CloudflareStreamState } from './cloudflare-streams.repository';
import { CloudflareDestinationStatusSync } from './cloudflare-destination-status.sync';
import { noVideoRejection } from './cloudflare-media';
import { MoveOffCloudflareService } from './move-off-cloudflare.service';
import { listingDue, listingPages, pickInputsToGet, tickAllowance } from './status-sweep-plan';

export const STATUS_SWEEP_TICK_MS = 5_000;
const LISTINGS_HELD_BACK = 3;
export const LAST_LISTING_KEY = 'restream:cloudflare-status:last-listing-at';

export interface SweepSummary {
  streams: number;
  listed: boolean;
  gets: number;
  changed: number;
  moved: number;
  /** Destinations whose status was brought back in step with their output. */
  destinations: number;
}

/**
 * Keeps every Cloudflare-carried stream's status true within the API budget: one account-wide
 * listing of live videos covers all streams, per-input gets fill in what a listing cannot tell.
 * Webhooks make changes arrive at once; this is the safety net.
 */
@Injectable()
export class CloudflareStatusSweepService {
  private readonly logger = new Logger(CloudflareStatusSweepService.name);

  constructor(
    private readonly cloudflareStreams: CloudflareStreamsRepository,
    private readonly streams: ManagedStreamsRepository,
    private readonly client: CloudflareStreamClient,
    private readonly budget: CloudflareApiBudget,
    private readonly applier: CloudflareObservationApplier,
    private readonly mover: MoveOffCloudflareService,
    private readonly destinations: CloudflareDestinationStatusSync,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async tick(): Promise<SweepSummary> {
    const live = await this.cloudflareStreams.listLive();
    const summary: SweepSummary = { streams: live.length, listed: false, gets: 0, changed: 0, moved: 0, destinations: 0 };
    if (live.length === 0) return summary;
    const now = this.clock.now();
    const backgroundLimit = this.budget.limitFor('background');
    const usage = await this.budget.usage();
    let room = Math.max(0, backgroundLimit - usage.used);
    let allowance = tickAllowance(backgroundLimit, room, STATUS_SWEEP_TICK_MS);
    const lastListingAt = Number(await this.redis.get(LAST_LISTING_KEY)) || null;
    const urgent = new Set<string>();
    const listedLive = new Set<string>();
    try {
      const due = listingDue({
        liveStreams: live.length,
        backgroundLimit,
        tickMs: STATUS_SWEEP_TICK_MS,
        now: now.getTime(),
        lastListingAt,
        listingRoom: usage.limit - usage.used,
        msUntilRoomFrees: (usage.nextFreeAt ?? now.getTime()) - now.getTime(),
      });
      if (due) {
        const videos = await this.client.listLiveVideos();
        await this.redis.set(LAST_LISTING_KEY, String(now.getTime()), 'PX', 10 * 60_000);
        const pagesUsed = Math.max(1, Math.ceil(videos.length / LIVE_VIDEO_PAGE_SIZE));
        allowance = Math.max(0, allowance - pagesUsed);
        room = Math.max(0, room - pagesUsed);
        summary.listed = true;
        await this.applyListing(live, videos, now, summary, urgent, listedLive);
      }
      // Per-input gets never eat into what the next few listings need: the listing covers everyone.
      const roomForGets = room - LISTINGS_HELD_BACK * listingPages(live.length);
      const ids = pickInputsToGet(live, urgent, {
        now: now.getTime(),
        allowance: Math.min(allowance, roomForGets),
        targetAgeMs: this.config.CLOUDFLARE_STATUS_TARGET_AGE_SECONDS * 1000,
      });
      const byId = new Map(live.map((s) => [s.id, s]));
      for (const id of ids) {
        const stream = byId.get(id) as CloudflareStreamState;
        const snapshot = await this.client.getLiveInput(stream.cloudflareLiveInputId);
        summary.gets++;
        const { state } = parseCloudflareLiveStatus(snapshot.status);
        if (state === stream.cloudflareState) {
          await this.cloudflareStreams.confirm([id], now);
        } else {
          await this.observe(id, { state, source: 'poll', at: now });
          summary.changed++;
        }
        // Keeps the snapshot's no-video candidates current (each move re-reads its row anyway).
        stream.cloudflareState = state;
        stream.cloudflareConnectedAt = isPublishingState(state) ? (stream.cloudflareConnectedAt ?? now) : null;
      }
    } catch (error) {
      // Out of budget or Cloudflare trouble: the next tick carries on where this one stopped.
      if (!(error instanceof CloudflareCallError) || error.kind !== 'transient') throw error;
      this.logger.warn({ err: error.message }, 'Cloudflare status sweep cut short');
    }
    if (summary.listed) summary.moved = await this.moveStreamsWithoutVideo(live, listedLive, now);
    // Destinations added, enabled or disabled since the last observation follow their output too.
    summary.destinations = await this.destinations.sweep();
    return summary;
  }

  private async applyListing(
    live: readonly CloudflareStreamState[],
    videos: readonly LiveVideo[],
    now: Date,
    summary: SweepSummary,
    urgent: Set<string>,
    listedLive: Set<string>,
  ): Promise<void> {
    const videoByInput = new Map(videos.filter((v) => v.liveInputId).map((v) => [v.liveInputId as string, v]));
    const unchanged: string[] = [];
    for (const stream of live) {
      const video = videoByInput.get(stream.cloudflareLiveInputId);
      if (video) {
        listedLive.add(stream.id);
        const known =
          isPublishingState(stream.cloudflareState) &&
          stream.cloudflareVideoAt !== null &&
          stream.dashUrl === video.dash &&
          (stream.strategy !== 'cloudflare' || stream.status === 'active');
        if (known) unchanged.push(stream.id);
        else {
          await this.observe(stream.id, { state: 'connected', liveVideo: video, source: 'listing', at: now });
          summary.changed++;
        }
      } else if (isPublishingState(stream.cloudflareState) && stream.cloudflareVideoAt !== null) {
        // It was live with video and the video is gone: the broadcast ended.
        await this.observe(stream.id, { state: LIVE_VIDEO_ENDED, source: 'listing', at: now });
        summary.changed++;
      } else if (isPublishingState(stream.cloudflareState) && stream.strategy === 'cloudflare') {
        // Connected but never seen with video: ask the input itself (the no-video rule needs to know).
        urgent.add(stream.id);
      } else {
        unchanged.push(stream.id);
      }
    }
    await this.cloudflareStreams.confirm(unchanged, now);
  }

  /**
   * "Connected" for longer than the limit without any live video: Cloudflare will never play it.
   * The snapshot only picks candidates; the listing above may have just seen them leave, so each
   * move decides again on the stream's row as it is now.
   */
  private async moveStreamsWithoutVideo(live: readonly CloudflareStreamState[], listedLive: ReadonlySet<string>, now: Date) {
    const limitMs = this.config.CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS * 1000;
    let moved = 0;
    for (const stream of live) {
      if (listedLive.has(stream.id) || !noVideoRejection(stream, now, limitMs)) continue;
      if ((await this.mover.move(stream.id, (row) => noVideoRejection(row, now, limitMs))) === 'moved') moved++;
    }
    return moved;
  }

  private async observe(streamId: string, observation: CloudflareObservation): Promise<void> {
    const row = await this.streams.findById(streamId);
    if (row) await this.applier.apply(row, observation);
  }
}
