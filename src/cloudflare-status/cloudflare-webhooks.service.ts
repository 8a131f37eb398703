import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { CloudflareObservationApplier } from './cloudflare-observation.applier';
import { CloudflareStreamsRepository } from './cloudflare-streams.repository';
import type { CloudflareLiveWebhook } from './cloudflare-webhook.schemas';
import { MoveOffCloudflareService } from './move-off-cloudflare.service';

export type WebhookOutcome = 'applied' | 'moved' | 'unknown_input' | 'ignored';

/** Cloudflare's live input notifications: status changes arrive at once instead of at the next poll. */
@Injectable()
export class CloudflareWebhooksService {
  constructor(
    private readonly cloudflareStreams: CloudflareStreamsRepository,
    private readonly streams: ManagedStreamsRepository,
    private readonly applier: CloudflareObservationApplier,
    private readonly mover: MoveOffCloudflareService,
    private readonly clock: Clock,
  ) {}

  async handle(notification: CloudflareLiveWebhook): Promise<WebhookOutcome> {
    const found = await this.cloudflareStreams.findIdByLiveInputId(notification.data.input_id);
    // Not ours, or already deleted: answering 2xx stops Cloudflare from retrying.
    if (!found) return 'unknown_input';
    const row = await this.streams.findById(found.id);
    if (!row) return 'unknown_input';
    const at = this.clock.now();
    switch (notification.data.event_type) {
      case 'live_input.connected':
        await this.applier.apply(row, { state: 'connected', source: 'webhook', at });
        return 'applied';
      case 'live_input.disconnected':
        await this.applier.apply(row, { state: 'client_disconnect', source: 'webhook', at });
        return 'applied';
      case 'live_input.errored': {
        const error = notification.data.live_input_errored?.error;
        const reason = { errorCode: error?.code ?? 'ERR_UNKNOWN', message: error?.message ?? '' };
        await this.applier.apply(row, { state: 'errored', source: 'webhook', at });
        // Cloudflare said so itself: a rejection whatever the stream's state.
        return (await this.mover.move(row.id, () => reason)) === 'moved' ? 'moved' : 'ignored';
      }
    }
  }
}
