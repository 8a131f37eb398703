import { relayIsGone, relaysToTakeOffline, RelayHealthView } from './relay-health';

const NOW = new Date('2026-11-21T10:00:00Z');
const STALE_MS = 30_000;
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

function relay(overrides: Partial<RelayHealthView>): RelayHealthView {
  return { id: 'r1', state: 'active', lastHeartbeatAt: secondsAgo(1), isStatic: false, ...overrides };
}

describe('relaysToTakeOffline', () => {
  it('takes registered relays silent for longer than the threshold offline, once', () => {
    const relays = [
      relay({ id: 'fresh', lastHeartbeatAt: secondsAgo(30) }),
      relay({ id: 'stale', lastHeartbeatAt: secondsAgo(31) }),
      relay({ id: 'stale-draining', state: 'draining', lastHeartbeatAt: secondsAgo(120) }),
      relay({ id: 'never', lastHeartbeatAt: null }),
      relay({ id: 'already-offline', state: 'offline', lastHeartbeatAt: secondsAgo(300) }),
      relay({ id: 'static', isStatic: true, lastHeartbeatAt: null }),
    ];
    expect(relaysToTakeOffline(relays, NOW, STALE_MS).map((r) => r.id)).toEqual(['stale', 'stale-draining', 'never']);
  });
});

describe('relayIsGone', () => {
  it('is true for a missing, offline or silent relay and false for a live, draining or static one', () => {
    expect(relayIsGone(null, NOW, STALE_MS)).toBe(true);
    expect(relayIsGone(relay({ state: 'offline' }), NOW, STALE_MS)).toBe(true);
    expect(relayIsGone(relay({ lastHeartbeatAt: secondsAgo(31) }), NOW, STALE_MS)).toBe(true);
    expect(relayIsGone(relay({}), NOW, STALE_MS)).toBe(false);
    expect(relayIsGone(relay({ state: 'draining' }), NOW, STALE_MS)).toBe(false);
    expect(relayIsGone(relay({ isStatic: true, lastHeartbeatAt: null }), NOW, STALE_MS)).toBe(false);
  });
});
