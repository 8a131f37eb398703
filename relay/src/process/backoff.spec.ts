import { backoffDelay, DESTINATION_BACKOFF } from './backoff';

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter taken off the top', () => {
    const noJitter = { ...DESTINATION_BACKOFF, jitter: 0 };
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
    expect(backoffDelay(10, DESTINATION_BACKOFF, () => 0)).toBe(2100);
    expect(backoffDelay(10, DESTINATION_BACKOFF, () => 1)).toBe(3000);
  });

  it('never waits so long that a returning destination misses the 5 s target', () => {
    for (let attempt = 1; attempt < 50; attempt++) expect(backoffDelay(attempt, DESTINATION_BACKOFF)).toBeLessThanOrEqual(3000);
  });
});
