export interface RateLimitOptions {
  /** Requests allowed in any window (Cloudflare: 1,200). */
  limit: number;
  /** Window length and lock-out length, in ms (Cloudflare: 5 minutes for both). */
  windowMs: number;
  lockoutMs: number;
}

export const CLOUDFLARE_RATE_LIMIT: RateLimitOptions = { limit: 1200, windowMs: 5 * 60_000, lockoutMs: 5 * 60_000 };

export type RateDecision =
  { allowed: true; remaining: number; resetSeconds: number } | { allowed: false; retryAfterSeconds: number };

interface TokenWindow {
  /** Times of the accepted requests still inside the window, oldest first, from index `head`. */
  times: number[];
  head: number;
  lockedUntil: number;
}

/**
 * Cloudflare's global API limit, per token: past `limit` requests in a window, every call answers
 * 429 until the lock-out ends. The window slides (the strictest reading of "per 5 minutes"), so a
 * client that stays under it here also stays under Cloudflare's.
 */
export class RateLimiter {
  private readonly byToken = new Map<string, TokenWindow>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  get policy(): RateLimitOptions {
    return this.options;
  }

  admit(token: string): RateDecision {
    const now = this.now();
    const window = this.windowOf(token);
    if (now < window.lockedUntil) return { allowed: false, retryAfterSeconds: Math.ceil((window.lockedUntil - now) / 1000) };
    while (window.head < window.times.length && window.times[window.head] <= now - this.options.windowMs) window.head++;
    if (window.head > 1024) {
      window.times = window.times.slice(window.head);
      window.head = 0;
    }
    const inWindow = window.times.length - window.head;
    if (inWindow >= this.options.limit) {
      window.lockedUntil = now + this.options.lockoutMs;
      window.times = [];
      window.head = 0;
      return { allowed: false, retryAfterSeconds: Math.ceil(this.options.lockoutMs / 1000) };
    }
    window.times.push(now);
    const oldest = window.times[window.head];
    return {
      allowed: true,
      remaining: this.options.limit - inWindow - 1,
      resetSeconds: Math.ceil((oldest + this.options.windowMs - now) / 1000),
    };
  }

  reset(): void {
    this.byToken.clear();
  }

  private windowOf(token: string): TokenWindow {
    let window = this.byToken.get(token);
    if (!window) {
      window = { times: [], head: 0, lockedUntil: 0 };
      this.byToken.set(token, window);
    }
    return window;
  }
}
