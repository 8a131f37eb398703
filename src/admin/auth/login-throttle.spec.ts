import { decideLoginThrottle } from './login-throttle';

const WINDOW = 15 * 60_000;

describe('decideLoginThrottle', () => {
  it('allows while every key is under the limit', () => {
    expect(decideLoginThrottle([], 5, WINDOW)).toEqual({ allowed: true });
    expect(
      decideLoginThrottle(
        [
          { count: 4, ttlMs: 1000 },
          { count: 0, ttlMs: -2 },
        ],
        5,
        WINDOW,
      ),
    ).toEqual({ allowed: true });
  });

  it('refuses when one key reaches the limit, for the longest remaining window', () => {
    expect(
      decideLoginThrottle(
        [
          { count: 5, ttlMs: 61_500 },
          { count: 9, ttlMs: 120_001 },
          { count: 1, ttlMs: 900_000 },
        ],
        5,
        WINDOW,
      ),
    ).toEqual({ allowed: false, retryAfterSeconds: 121 });
  });

  it('assumes a whole window when the key lost its expiry, and never says 0 seconds', () => {
    expect(decideLoginThrottle([{ count: 5, ttlMs: -1 }], 5, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect(decideLoginThrottle([{ count: 5, ttlMs: 3 }], 5, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
