import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { WebhooksRepository } from './webhooks.repository';

const DAY_MS = 24 * 3600 * 1000;

/** Keeps the delivery table to the recent past (WEBHOOK_RETENTION_DAYS); the events themselves stay. */
@Injectable()
export class WebhookRetentionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
  ) {}

  async prune(): Promise<{ deleted: number }> {
    const before = new Date(this.clock.now().getTime() - this.config.WEBHOOK_RETENTION_DAYS * DAY_MS);
    return { deleted: await this.webhooks.deleteSettledBefore(before) };
  }
}
