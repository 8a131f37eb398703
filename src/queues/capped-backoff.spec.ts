import { cappedJitteredBackoff } from './capped-backoff';

describe('cappedJitteredBackoff', () => {
  it('doubles per attempt between half and all of the ceiling, and stops growing at the cap', () => {
    expect(cappedJitteredBackoff(1, 1000, 60_000, () => 0)).toBe(500);
    expect(cappedJitteredBackoff(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(cappedJitteredBackoff(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(cappedJitteredBackoff(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(cappedJitteredBackoff(20, 1000, 60_000, () => 0)).toBe(30_000);
  });
});
