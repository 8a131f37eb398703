import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { safeEqual } from '../common/crypto/secret-hash';
import { NotFoundError, UnauthorizedError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

/** Cloudflare Notifications send the destination's secret in `cf-webhook-auth`. */
@Injectable()
export class CloudflareWebhookGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.CLOUDFLARE_WEBHOOK_SECRET;
    if (!expected) throw new NotFoundError('Cloudflare webhooks are not configured (CLOUDFLARE_WEBHOOK_SECRET)');
    const secret = context.switchToHttp().getRequest<Request>().header('cf-webhook-auth');
    if (!secret || !safeEqual(secret, expected)) throw new UnauthorizedError('Missing or wrong cf-webhook-auth secret');
    return true;
  }
}
