import { createHash } from 'node:crypto';

export interface RelayCandidate {
  id: string;
  rtmpUrl: string;
  hlsBaseUrl: string;
  capacity: number;
  /** Streams the relay carries now (the larger of what it reports and what we assigned). */
  load: number;
  state: 'active' | 'draining' | 'offline';
  lastHeartbeatAt: Date | null;
  /** Static-fleet relays from config are assumed alive; they need not heartbeat. */
  isStatic: boolean;
}

/** A uniform number in (0, 1) from the user and the relay: the same pair always gives the same value. */
function unitHash(userKey: string, relayId: string): number {
  const digest = createHash('sha256').update(`${userKey}\u0000${relayId}`).digest();
  const value = digest.readUIntBE(0, 6); // 48 bits
  return (value + 1) / (2 ** 48 + 1);
}

export function isRelayUsable(relay: RelayCandidate, now: Date, staleAfterMs: number): boolean {
  if (relay.state !== 'active') return false;
  if (relay.capacity - relay.load <= 0) return false;
  if (relay.isStatic) return true;
  return relay.lastHeartbeatAt !== null && now.getTime() - relay.lastHeartbeatAt.getTime() <= staleAfterMs;
}

/**
 * Weighted rendezvous hashing: each usable relay scores -w / ln(h) with w its free capacity;
 * the highest wins. A user keeps landing on the same relay while the fleet is stable, and
 * only the users of a relay that leaves move elsewhere.
 */
export function pickRelay(
  userKey: string,
  candidates: readonly RelayCandidate[],
  now: Date,
  staleAfterMs: number,
): RelayCandidate | null {
  let best: RelayCandidate | null = null;
  let bestScore = -Infinity;
  for (const relay of candidates) {
    if (!isRelayUsable(relay, now, staleAfterMs)) continue;
    const score = -(relay.capacity - relay.load) / Math.log(unitHash(userKey, relay.id));
    if (score > bestScore || (score === bestScore && best !== null && relay.id < best.id)) {
      best = relay;
      bestScore = score;
    }
  }
  return best;
}
