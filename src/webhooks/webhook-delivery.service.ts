import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { InvalidInputError } from '../common/errors';
import { Random } from '../common/random';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { DestinationHostPolicy } from '../destinations/destination-host-policy';
import { toEventMessage } from '../stream-records/stream-events.repository';
import { WebhookHttpClient } from './webhook-http.client';
import { webhookBody } from './webhook-payload';
import { classifyWebhookResponse, parseRetryAfterMs, retryDelayMs } from './webhook-retry';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

/** Thrown for a transient failure; the queue's backoff strategy waits `delayMs` before the next attempt. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export type DeliveryResult = 'delivered' | 'failed' | 'nothing to do';

/** One signed POST of one event to one app; the outcome is recorded on the delivery row. */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly http: WebhookHttpClient,
    private readonly hostPolicy: DestinationHostPolicy,
    private readonly encryption: EncryptionService,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** `attemptsMade`: attempts before this one (BullMQ's count), to know when to give up. */
  async deliver(deliveryId: string, attemptsMade: number): Promise<DeliveryResult> {
    const work = await this.webhooks.findWork(deliveryId);
    if (!work || work.status !== 'pending') return 'nothing to do';
    const { app } = work;
    if (!app.webhookUrl || !app.webhookSecretCipher) {
      await this.webhooks.fail(deliveryId, 'the app has no webhook URL any more');
      return 'failed';
    }
    const refused = await this.refusedHost(app.webhookUrl);
    if (refused) {
      await this.webhooks.fail(deliveryId, refused);
      return 'failed';
    }
    const event = toEventMessage(work.event);
    const body = webhookBody(event);
    const now = this.clock.now();
    const secret = this.encryption.decrypt(app.webhookSecretCipher, 'webhook-secret');
    const response = await this.http.post(
      app.webhookUrl,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'glasses-restream-webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(now.getTime() / 1000)),
        [EVENT_ID_HEADER]: event.id,
      },
      this.config.WEBHOOK_TIMEOUT_MS,
    );
    const outcome = classifyWebhookResponse(response.status);
    const error = response.error ?? (outcome === 'delivered' ? null : `HTTP ${response.status}`);
    const attempt = { statusCode: response.status, error, at: this.clock.now() };
    const log = { deliveryId, appId: app.id, eventId: event.id, status: response.status, attempt: attemptsMade + 1 };
    if (outcome === 'delivered') {
      await this.webhooks.recordAttempt(deliveryId, 'delivered', attempt);
      return 'delivered';
    }
    const lastAttempt = attemptsMade + 1 >= this.config.WEBHOOK_MAX_ATTEMPTS;
    if (outcome === 'permanent' || lastAttempt) {
      const reason = outcome === 'permanent' ? error : `gave up after ${attemptsMade + 1} attempts: ${error}`;
      await this.webhooks.recordAttempt(deliveryId, 'failed', { ...attempt, error: reason });
      this.logger.warn({ ...log, reason }, 'Webhook delivery failed permanently');
      return 'failed';
    }
    await this.webhooks.recordAttempt(deliveryId, 'pending', attempt);
    const delayMs = retryDelayMs(
      attemptsMade + 1,
      { baseMs: this.config.WEBHOOK_BACKOFF_BASE_MS, maxMs: this.config.WEBHOOK_BACKOFF_MAX_MS },
      this.random.unit(),
      parseRetryAfterMs(response.retryAfter, now),
    );
    this.logger.log({ ...log, delayMs, error }, 'Webhook delivery will be retried');
    throw new RetryLaterError(`webhook delivery failed (${error}); retrying in ${delayMs} ms`, delayMs);
  }

  async giveUp(deliveryId: string, reason: string): Promise<void> {
    await this.webhooks.fail(deliveryId, reason);
    this.logger.warn({ deliveryId, reason }, 'Webhook delivery failed permanently');
  }

  private async refusedHost(url: string): Promise<string | null> {
    try {
      await this.hostPolicy.assertAllowed(new URL(url).hostname.replace(/^\[|\]$/g, ''), 'webhookUrl');
      return null;
    } catch (error) {
      if (error instanceof InvalidInputError) return error.message;
      throw error;
    }
  }
}
