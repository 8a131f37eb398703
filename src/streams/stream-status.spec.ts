import { canTransitionStream, holdsLiveSlot } from './stream-status';
import { streamStatusFromRelay } from '../relays/rtmp-relay.service';

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

  it('reads a relay\'s "stopped" as a publisher that may return, unless we are stopping', () => {
    expect(streamStatusFromRelay('stopped', 'active')).toBe('reconnecting');
    expect(streamStatusFromRelay('stopped', 'stopping')).toBe('stopped');
    expect(streamStatusFromRelay('active', 'connecting')).toBe('active');
  });
});
