import { canTransitionStream, holdsLiveSlot } from './stream-status';

describe('stream status rules', () => {
  it('never leaves stopped and only finishes a stop', () => {
    for (const to of ['initializing', 'connecting', 'active', 'reconnecting', 'stopping', 'error'] as const) {
      expect(canTransitionStream('stopped', to)).toBe(false);
    }
    expect(canTransitionStream('stopping', 'active')).toBe(false);
    expect(canTransitionStream('stopping', 'stopped')).toBe(true);
    expect(canTransitionStream('connecting', 'active')).toBe(true);
    expect(canTransitionStream('error', 'active')).toBe(true);
  });

  it("frees the user's live slot once stopping", () => {
    expect(holdsLiveSlot('active')).toBe(true);
    expect(holdsLiveSlot('error')).toBe(true);
    expect(holdsLiveSlot('stopping')).toBe(false);
  });
});
