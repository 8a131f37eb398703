import { classifyWebhookResponse, parseRetryAfterMs, retryDelayMs } from './webhook-retry';

describe('classifyWebhookResponse', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [null, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [301, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
  ])('%s → %s', (status, outcome) => {
    expect(classifyWebhookResponse(status)).toBe(outcome);
  });
});

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per attempt with half of each step jittered', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(3, policy, 0.5)).toBe(3000);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(retryDelayMs(7, policy, 1)).toBe(60_000);
    expect(retryDelayMs(60, policy, 0)).toBe(30_000);
    expect(retryDelayMs(1000, policy, 1)).toBe(60_000);
  });

  it("honours the receiver's Retry-After up to the cap", () => {
    expect(retryDelayMs(1, policy, 0, 10_000)).toBe(10_000);
    expect(retryDelayMs(1, policy, 0, 600_000)).toBe(60_000);
    expect(retryDelayMs(4, policy, 1, 100)).toBe(8000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  it('reads seconds and HTTP dates, and ignores the rest', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Sat, 21 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
  });
});
