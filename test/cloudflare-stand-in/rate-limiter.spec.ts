import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 1_000_000;
  const limiter = () => new RateLimiter({ limit: 3, windowMs: 300_000, lockoutMs: 300_000 }, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('admits up to the limit, then locks every call out for the lock-out period', () => {
    const sut = limiter();
    expect([sut.admit('t'), sut.admit('t'), sut.admit('t')].map((d) => d.allowed)).toEqual([true, true, true]);
    expect(sut.admit('t')).toEqual({ allowed: false, retryAfterSeconds: 300 });
    now += 299_500;
    expect(sut.admit('t')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(sut.admit('t')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps tokens apart and reports the remaining budget and when the oldest request leaves', () => {
    const sut = limiter();
    expect(sut.admit('a')).toEqual({ allowed: true, remaining: 2, resetSeconds: 300 });
    now += 100_000;
    expect(sut.admit('a')).toEqual({ allowed: true, remaining: 1, resetSeconds: 200 });
    expect(sut.admit('b')).toEqual({ allowed: true, remaining: 2, resetSeconds: 300 });
  });

  it('forgets requests once they are a whole window old', () => {
    const sut = limiter();
    sut.admit('t');
    sut.admit('t');
    now += 200_000;
    sut.admit('t');
    now += 100_000;
    // The first two are now exactly 5 minutes old: they no longer count.
    expect(sut.admit('t')).toMatchObject({ allowed: true, remaining: 1 });
    expect(sut.admit('t')).toMatchObject({ allowed: true, remaining: 0 });
    expect(sut.admit('t').allowed).toBe(false);
  });
});
