/** What the health checks need to know of a relay. */
export interface RelayHealthView {
  id: string;
  state: 'active' | 'draining' | 'offline';
  lastHeartbeatAt: Date | null;
  /** Static-fleet relays from config are assumed alive; they never heartbeat. */
  isStatic: boolean;
}

function heartbeatIsStale(relay: RelayHealthView, now: Date, staleAfterMs: number): boolean {
  return relay.lastHeartbeatAt === null || now.getTime() - relay.lastHeartbeatAt.getTime() > staleAfterMs;
}

/** Registered relays that stopped heartbeating and are not yet marked offline. */
export function relaysToTakeOffline(relays: readonly RelayHealthView[], now: Date, staleAfterMs: number): RelayHealthView[] {
  return relays.filter((relay) => !relay.isStatic && relay.state !== 'offline' && heartbeatIsStale(relay, now, staleAfterMs));
}

/**
 * A stream's relay is gone when it no longer exists, was taken offline, or stopped heartbeating
 * (the health job may not have run yet). A draining relay keeps the streams it carries.
 */
export function relayIsGone(relay: RelayHealthView | null, now: Date, staleAfterMs: number): boolean {
  if (!relay) return true;
  if (relay.state === 'offline') return true;
  return !relay.isStatic && heartbeatIsStale(relay, now, staleAfterMs);
}
