import type { StreamStatus } from '../stream-records/stream-status';

export interface CloudflareLiveState {
  state: string | null;
  reason: string | null;
}

/**
 * Cloudflare has been seen returning a live input's status as a bare state string, as an object
 * `{current: {state, reason, ...}, history}`, and as that object JSON-encoded in a string.
 */
export function parseCloudflareLiveStatus(raw: unknown): CloudflareLiveState {
  if (raw === null || raw === undefined || raw === '') return { state: null, reason: null };
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (trimmed.startsWith('{')) {
      try {
        return parseCloudflareLiveStatus(JSON.parse(trimmed) as unknown);
      } catch {
        return { state: trimmed, reason: null };
      }
    }
    return { state: trimmed, reason: null };
  }
  if (typeof raw === 'object') {
    const current = (raw as { current?: unknown }).current;
    if (current && typeof current === 'object') {
      const { state, reason } = current as { state?: unknown; reason?: unknown };
      const stateText = typeof state === 'string' ? state : typeof reason === 'string' ? reason : null;
      return { state: stateText, reason: typeof reason === 'string' ? reason : null };
    }
  }
  return { state: null, reason: null };
}

/**
 * Our own state for an input whose live video the account-wide listing no longer shows: the
 * broadcast ended, which is all a status needs to know (a per-input get would cost a call each).
 */
export const LIVE_VIDEO_ENDED = 'live_video_ended';

const PUBLISHING = new Set(['connected', 'reconnected']);
const GONE = new Set([
  'client_disconnect',
  'disconnected',
  'ttl_exceeded',
  'failed_to_connect',
  'failed_to_reconnect',
  LIVE_VIDEO_ENDED,
]);

/**
 * What our stream status should become given Cloudflare's live state and whether its live video
 * flows; null = leave it. Connected without video is not active: the stream keeps waiting
 * (`connecting`, or `reconnecting` after a drop) until the video shows, or the no-video rule moves it.
 */
export function streamStatusForCloudflareState(
  state: string | null,
  current: StreamStatus,
  videoFlowing: boolean,
): StreamStatus | null {
  if (state === null) return null;
  if (PUBLISHING.has(state)) return current === 'active' || !videoFlowing ? null : 'active';
  if (state === 'reconnecting') return current === 'active' ? 'reconnecting' : null;
  // The glasses left; they may come back to the same input, so the stream keeps its slot.
  if (GONE.has(state)) return current === 'active' ? 'reconnecting' : null;
  return null;
}

export function isPublishingState(state: string | null): boolean {
  return state !== null && PUBLISHING.has(state);
}
