import { Module } from '@nestjs/common';
import { CloudflareModule } from '../cloudflare/cloudflare.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StrategiesModule } from '../strategies/strategies.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { CloudflareDestinationStatusSync } from './cloudflare-destination-status.sync';
import { CloudflareObservationApplier } from './cloudflare-observation.applier';
import { CloudflareOrphanSweeper } from './cloudflare-orphan-sweeper';
import { CloudflareOutputsReconciler } from './cloudflare-outputs.reconciler';
import { CloudflarePlaybackPoller } from './cloudflare-playback-poller';
import { CloudflareStatusSweepService } from './cloudflare-status-sweep.service';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';
import { CloudflareWebhooksController } from './cloudflare-webhooks.controller';
import { CloudflareWebhooksService } from './cloudflare-webhooks.service';
import { MoveOffCloudflareService } from './move-off-cloudflare.service';

/** Keeping Cloudflare-carried streams' status true: webhooks, polling, fallback moves, orphan sweeps. */
@Module({
  imports: [StreamRecordsModule, CloudflareModule, RelayFleetModule, StrategiesModule],
  controllers: [CloudflareWebhooksController],
  providers: [
    CloudflareStreamsRepository,
    CloudflareObservationApplier,
    CloudflareDestinationStatusSync,
    MoveOffCloudflareService,
    CloudflareStatusSweepService,
    CloudflarePlaybackPoller,
    CloudflareOrphanSweeper,
    CloudflareOutputsReconciler,
    CloudflareWebhooksService,
  ],
  exports: [
    CloudflareStatusSweepService,
    CloudflarePlaybackPoller,
    CloudflareOrphanSweeper,
    CloudflareOutputsReconciler,
    MoveOffCloudflareService,
  ],
})
export class CloudflareStatusModule {}
