import { rateLimitDecision, rateLimitWindow } from './rate-limit-window';

describe('app rate limit window', () => {
  it('counts per app and per wall-clock minute', () => {
    const at = Date.UTC(2026, 10, 21, 9, 0, 15, 500);
    expect(rateLimitWindow('app_1', at)).toEqual({ key: `ratelimit:app:app_1:${Math.floor(at / 60_000)}`, remainingMs: 44_500 });
    expect(rateLimitWindow('app_1', at + 45_000).key).not.toBe(rateLimitWindow('app_1', at).key);
    expect(rateLimitWindow('app_2', at).key).not.toBe(rateLimitWindow('app_1', at).key);
  });

  it('allows up to the limit, then refuses until the window resets', () => {
    expect(rateLimitDecision(3, 3, 44_500)).toEqual({ allowed: true, limit: 3, remaining: 0, resetSeconds: 45 });
    expect(rateLimitDecision(4, 3, 44_500)).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 45 });
    expect(rateLimitDecision(1, 600, 59_999).remaining).toBe(599);
  });

  it('never tells a client to retry after 0 seconds', () => {
    expect(rateLimitDecision(9, 3, 10).resetSeconds).toBe(1);
  });
});
