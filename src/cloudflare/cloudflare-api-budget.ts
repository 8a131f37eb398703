import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/**
 * interactive: a person is waiting (provisioning, destination changes, stops) and may use the
 * whole budget but the listing's reserve; listing: the account-wide live-video listing, which
 * keeps every stream's status true at once, so it may use the whole budget (the sweep paces it);
 * background: per-stream polls and gets, held to a share so interactive calls always fit.
 */
export type CallPriority = 'interactive' | 'listing' | 'background';

export const BUDGET_WINDOW_MS = 5 * 60 * 1000;
const BACKGROUND_SHARE = 0.7;
// Measured: 200 creates under load left background work no room at all for minutes, and with it
// the listing that brings every stream live; a few calls kept back for it keep statuses moving.
const LISTING_RESERVE_SHARE = 0.02;
const LISTING_RESERVE_MIN = 3;

/** Sliding-window log in one sorted set per account: admit only if the window has room. */
const TAKE_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
local lockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if lockedUntil > now then return {0, 0, lockedUntil - now} end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
if used < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return {1, used + 1, 0}
end
local oldest = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
local retry = window
if oldest[2] then retry = tonumber(oldest[2]) + window - now end
return {0, used, retry}
`;

export class CloudflareBudgetExhaustedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Cloudflare API budget used up; next call possible in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

export interface BudgetUsage {
  used: number;
  limit: number;
  backgroundLimit: number;
  /** When the oldest call in the window ages out and frees room (ms since epoch), null when none is in it. */
  nextFreeAt: number | null;
}

/**
 * One budget for every call any process makes to Cloudflare (1,200 per 5 minutes per account,
 * and 5 minutes of 429s past it), kept in Redis so API and worker processes share it.
 */
@Injectable()
export class CloudflareApiBudget {
  private sequence = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Records one call, or throws with how long until one would fit. */
  async take(priority: CallPriority): Promise<void> {
    const now = this.clock.now().getTime();
    const member = `${now}-${process.pid}-${++this.sequence}-${Math.random().toString(36).slice(2, 8)}`;
    const [admitted, , retryAfterMs] = (await this.redis.eval(
      TAKE_SCRIPT,
      2,
      this.key(),
      this.lockoutKey(),
      now,
      BUDGET_WINDOW_MS,
      this.limitFor(priority),
      member,
    )) as [number, number, number];
    if (admitted !== 1) throw new CloudflareBudgetExhaustedError(Math.max(retryAfterMs, 1));
  }

  /** Cloudflare answered 429 anyway (another client of the account): it refuses everything for 5 minutes. */
  async lockOut(): Promise<void> {
    const until = this.clock.now().getTime() + BUDGET_WINDOW_MS;
    await this.redis.set(this.lockoutKey(), String(until), 'PX', BUDGET_WINDOW_MS);
  }

  async usage(): Promise<BudgetUsage> {
    const now = this.clock.now().getTime();
    const from = now - BUDGET_WINDOW_MS + 1;
    const [used, oldest] = await Promise.all([
      this.redis.zcount(this.key(), from, '+inf'),
      this.redis.zrangebyscore(this.key(), from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1),
    ]);
    const nextFreeAt = oldest[1] === undefined ? null : Number(oldest[1]) + BUDGET_WINDOW_MS;
    return {
      used,
      limit: this.limitFor('listing'),
      backgroundLimit: this.limitFor('background'),
      nextFreeAt,
    };
  }

  /** Calls background work may still make in the current window. */
  async backgroundRoom(): Promise<number> {
    const { used, backgroundLimit } = await this.usage();
    return Math.max(0, backgroundLimit - used);
  }

  limitFor(priority: CallPriority): number {
    const limit = this.config.CLOUDFLARE_API_BUDGET_PER_5_MIN;
    if (priority === 'listing') return limit;
    if (priority === 'interactive') return limit - Math.max(LISTING_RESERVE_MIN, Math.ceil(limit * LISTING_RESERVE_SHARE));
    return Math.floor(limit * BACKGROUND_SHARE);
  }

  private key(): string {
    return `restream:cloudflare-budget:${this.config.CLOUDFLARE_ACCOUNT_ID ?? 'none'}`;
  }

  private lockoutKey(): string {
    return `${this.key()}:locked-until`;
  }
}
