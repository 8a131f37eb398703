import { pickRelay, RelayCandidate } from './relay-selection';

const now = new Date('2026-11-21T12:00:00Z');
const fresh = new Date(now.getTime() - 5_000);
const stale = new Date(now.getTime() - 120_000);

function relay(id: string, overrides: Partial<RelayCandidate> = {}): RelayCandidate {
  return {
    id,
    rtmpUrl: `rtmp://${id}:1935`,
    hlsBaseUrl: `http://${id}:8888`,
    capacity: 10,
    load: 0,
    state: 'active',
    lastHeartbeatAt: fresh,
    isStatic: false,
    ...overrides,
  };
}

describe('pickRelay (weighted rendezvous hashing)', () => {
  it('is stable for a user and spreads users across relays', () => {
    const relays = [relay('r1'), relay('r2'), relay('r3')];
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const first = pickRelay(`user-${i}`, relays, now, 30_000);
      expect(pickRelay(`user-${i}`, relays, now, 30_000)).toBe(first);
      counts.set(first!.id, (counts.get(first!.id) ?? 0) + 1);
    }
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });

  it('skips stale, full, draining and offline relays; static relays need no heartbeat', () => {
    const candidates = [
      relay('stale', { lastHeartbeatAt: stale }),
      relay('never', { lastHeartbeatAt: null }),
      relay('full', { load: 10 }),
      relay('draining', { state: 'draining' }),
      relay('offline', { state: 'offline' }),
      relay('static', { lastHeartbeatAt: null, isStatic: true }),
    ];
    for (let i = 0; i < 50; i++) expect(pickRelay(`u${i}`, candidates, now, 30_000)?.id).toBe('static');
    expect(pickRelay('u', candidates.slice(0, 5), now, 30_000)).toBeNull();
  });

  it('weights by free capacity and moves only the users of a relay that leaves', () => {
    const relays = [relay('big', { capacity: 90 }), relay('small', { capacity: 10 })];
    let big = 0;
    const before = new Map<string, string>();
    for (let i = 0; i < 2000; i++) {
      const picked = pickRelay(`user-${i}`, relays, now, 30_000)!.id;
      before.set(`user-${i}`, picked);
      if (picked === 'big') big++;
    }
    expect(big / 2000).toBeGreaterThan(0.85);
    const withThird = [...relays, relay('third', { capacity: 10 })];
    for (const [user, picked] of before) {
      const after = pickRelay(user, withThird, now, 30_000)!.id;
      expect(after === picked || after === 'third').toBe(true);
    }
  });
});
