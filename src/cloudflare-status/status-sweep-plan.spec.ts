import { listingDue, listingIntervalMs, pickInputsToGet, tickAllowance } from './status-sweep-plan';

describe('status sweep plan', () => {
  it('lists more rarely as the number of live streams (pages) grows, never more often than a tick', () => {
    expect(listingIntervalMs(1_000, 700, 5_000)).toBe(5_000);
    expect(listingIntervalMs(10_000, 700, 5_000)).toBeCloseTo(7_143, 0);
    expect(listingIntervalMs(100_000, 700, 5_000)).toBeCloseTo(71_429, 0);
  });

  it('is due on the first tick and again after the interval', () => {
    const base = { liveStreams: 10, backgroundLimit: 700, tickMs: 5_000, listingRoom: 500, msUntilRoomFrees: 300_000 };
    expect(listingDue({ ...base, now: 0, lastListingAt: null })).toBe(true);
    expect(listingDue({ ...base, now: 4_000, lastListingAt: 0 })).toBe(false);
    expect(listingDue({ ...base, now: 5_000, lastListingAt: 0 })).toBe(true);
    expect(listingDue({ ...base, liveStreams: 0, now: 5_000, lastListingAt: null })).toBe(false);
  });

  it('spreads the listings left over the time until the window frees room, and lists none without room', () => {
    const base = { liveStreams: 10, backgroundLimit: 280, tickMs: 5_000, lastListingAt: 0 };
    // 8 calls left, 240 s until the oldest ages out: one listing every 30 s.
    expect(listingDue({ ...base, now: 29_000, listingRoom: 8, msUntilRoomFrees: 240_000 })).toBe(false);
    expect(listingDue({ ...base, now: 30_000, listingRoom: 8, msUntilRoomFrees: 240_000 })).toBe(true);
    // Plenty of room: the tick's pace.
    expect(listingDue({ ...base, now: 5_000, listingRoom: 200, msUntilRoomFrees: 240_000 })).toBe(true);
    expect(listingDue({ ...base, now: 60_000, listingRoom: 0, msUntilRoomFrees: 240_000 })).toBe(false);
    expect(listingDue({ ...base, liveStreams: 2_500, now: 60_000, listingRoom: 2, msUntilRoomFrees: 1_000 })).toBe(false);
  });

  it("spends a tick's share of the 5-minute budget, never more than is left", () => {
    expect(tickAllowance(700, 700, 5_000)).toBe(12);
    expect(tickAllowance(700, 3, 5_000)).toBe(3);
    expect(tickAllowance(700, 0, 5_000)).toBe(0);
  });

  it('asks first about inputs whose video vanished, then the stalest Cloudflare streams', () => {
    const at = (s: number) => new Date(s * 1000);
    const candidates = [
      { id: 'fresh', strategy: 'cloudflare' as const, cloudflareStateAt: at(99) },
      { id: 'old', strategy: 'cloudflare' as const, cloudflareStateAt: at(10) },
      { id: 'never', strategy: 'cloudflare' as const, cloudflareStateAt: null },
      { id: 'hybrid', strategy: 'hybrid' as const, cloudflareStateAt: null },
      { id: 'vanished', strategy: 'cloudflare' as const, cloudflareStateAt: at(99) },
    ];
    const options = { now: 100_000, allowance: 3, targetAgeMs: 30_000 };
    expect(pickInputsToGet(candidates, new Set(['vanished']), options)).toEqual(['vanished', 'never', 'old']);
    expect(pickInputsToGet(candidates, new Set(), { ...options, allowance: 0 })).toEqual([]);
  });
});
