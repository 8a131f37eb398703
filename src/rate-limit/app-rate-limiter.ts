import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { RateLimitedError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { RateLimitDecision, rateLimitDecision, rateLimitWindow } from './rate-limit-window';

// Count and set the expiry in one step, so a crash between the two cannot leave a counter forever.
const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Counts each app's requests per minute in Redis, shared by every API process. */
@Injectable()
export class AppRateLimiter {
  private readonly logger = new Logger(AppRateLimiter.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async consume(appId: string): Promise<RateLimitDecision | null> {
    const window = rateLimitWindow(appId, this.clock.now().getTime());
    try {
      const count = Number(await this.redis.eval(COUNT_SCRIPT, 1, window.key, String(window.remainingMs)));
      return rateLimitDecision(count, this.config.APP_RATE_LIMIT_PER_MINUTE, window.remainingMs);
    } catch (error) {
      // Without Redis the limit cannot be counted; refusing every app would be worse than not limiting.
      this.logger.warn({ err: error }, 'Rate limit not checked: Redis failed');
      return null;
    }
  }

  /** Sets the RateLimit-* headers; throws RateLimitedError (429, Retry-After) over the limit. */
  async enforce(appId: string, response: Response): Promise<void> {
    const decision = await this.consume(appId);
    if (!decision) return;
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (decision.allowed) return;
    response.setHeader('Retry-After', String(decision.resetSeconds));
    throw new RateLimitedError(`Too many requests: this app may make ${decision.limit} per minute`, {
      retryAfterSeconds: decision.resetSeconds,
    });
  }
}
