import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const options = { initialDelayMs: 1000, maxDelayMs: 8000 };

  it('doubles from the initial delay and stops at the cap', () => {
    const ceiling = (attempt: number) => backoffDelay(attempt, options, () => 1);
    expect([0, 1, 2, 3, 4, 10, 100].map(ceiling)).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('jitters within the upper half of each step', () => {
    expect(backoffDelay(2, options, () => 0)).toBe(2000);
    expect(backoffDelay(2, options, () => 0.5)).toBe(3000);
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(3, options);
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});
