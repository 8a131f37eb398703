import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import type { CloudflareCallError } from './cloudflare-errors';

export interface CircuitState {
  open: boolean;
  reason: string | null;
  openUntil: Date | null;
}

/**
 * Opens after CLOUDFLARE_CIRCUIT_FAILURES consecutive provisioning-class failures (timeouts, 5xx,
 * 429, auth) and stays open for CLOUDFLARE_CIRCUIT_OPEN_SECONDS; shared in Redis so every API
 * process stops sending streams to Cloudflare at once. A success closes it.
 */
@Injectable()
export class CloudflareCircuitBreaker {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async state(): Promise<CircuitState> {
    const [until, reason] = await this.redis.mget(this.key('open-until'), this.key('reason'));
    const openUntil = until ? Number(until) : 0;
    if (openUntil <= this.clock.now().getTime()) return { open: false, reason: null, openUntil: null };
    return { open: true, reason, openUntil: new Date(openUntil) };
  }

  async recordSuccess(): Promise<void> {
    await this.redis.del(this.key('failures'), this.key('open-until'), this.key('reason'));
  }

  /** Rejections of one request (4xx) say nothing about Cloudflare's health and are not counted. */
  async recordFailure(error: CloudflareCallError): Promise<void> {
    if (error.kind !== 'transient' && error.kind !== 'auth') return;
    const openMs = this.config.CLOUDFLARE_CIRCUIT_OPEN_SECONDS * 1000;
    const failures = await this.redis.multi().incr(this.key('failures')).pexpire(this.key('failures'), openMs).exec();
    const count = Number(failures?.[0]?.[1] ?? 0);
    // Auth errors will not heal by themselves: open at once.
    if (count >= this.config.CLOUDFLARE_CIRCUIT_FAILURES || error.kind === 'auth' || error.rateLimited) {
      const until = this.clock.now().getTime() + (error.rateLimited ? Math.max(openMs, 5 * 60_000) : openMs);
      await this.redis
        .multi()
        .set(this.key('open-until'), String(until), 'PX', until - this.clock.now().getTime())
        .set(this.key('reason'), error.message, 'PX', until - this.clock.now().getTime())
        .exec();
    }
  }

  private key(part: string): string {
    return `restream:cloudflare-circuit:${part}`;
  }
}
