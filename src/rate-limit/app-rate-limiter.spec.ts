import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { strictFake } from '../../test/support/strict-fake';
import { testConfig } from '../../test/support/test-config';
import { Clock } from '../common/clock';
import { RateLimitedError } from '../common/errors';
import { AppRateLimiter } from './app-rate-limiter';

const NOW = new Date(Date.UTC(2026, 10, 21, 9, 0, 50));

function setup(evalResult: () => Promise<unknown>) {
  const mocks = {
    redis: strictFake<Redis>('redis', { eval: jest.fn(evalResult) }),
    clock: strictFake<Clock>('clock', { now: () => NOW }),
    headers: new Map<string, string>(),
  };
  const response = strictFake<Response>('response', {
    setHeader: ((name: string, value: string) => mocks.headers.set(name, value)) as unknown as Response['setHeader'],
  });
  const sut = new AppRateLimiter(
    testConfig({ DATABASE_URL: 'postgres://unused/unused', REDIS_URL: 'redis://unused', APP_RATE_LIMIT_PER_MINUTE: '5' }),
    mocks.redis,
    mocks.clock,
  );
  return { sut, mocks, response };
}

describe('AppRateLimiter', () => {
  it('counts in this minute’s key with the time left in the window, and sets the RateLimit headers', async () => {
    const { sut, mocks, response } = setup(async () => 2);
    await sut.enforce('app_1', response);
    expect(mocks.redis.eval).toHaveBeenCalledWith(
      expect.any(String),
      1,
      `ratelimit:app:app_1:${Math.floor(NOW.getTime() / 60_000)}`,
      '10000',
    );
    expect(Object.fromEntries(mocks.headers)).toEqual({
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '3',
      'RateLimit-Reset': '10',
    });
  });

  it('refuses over the limit with Retry-After', async () => {
    const { sut, mocks, response } = setup(async () => 6);
    await expect(sut.enforce('app_1', response)).rejects.toEqual(expect.any(RateLimitedError));
    expect(mocks.headers.get('Retry-After')).toBe('10');
  });

  it('lets requests through when Redis fails, rather than refusing every app', async () => {
    const { sut, mocks, response } = setup(() => Promise.reject(new Error('connection lost')));
    await expect(sut.enforce('app_1', response)).resolves.toBeUndefined();
    expect(mocks.headers.size).toBe(0);
  });
});
