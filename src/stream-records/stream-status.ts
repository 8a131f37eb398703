import type { DestinationStatus, StreamStatus } from '../generated/prisma/enums';

export type { DestinationStatus, StreamStatus };

/**
 * Allowed stream transitions:
 *   initializing → connecting | error | stopping | stopped
 *   connecting   → active | reconnecting | error | stopping | stopped
 *   active       → reconnecting | error | stopping | stopped
 *   reconnecting → connecting | active | error | stopping | stopped
 *   error        → connecting | active | reconnecting | stopping | stopped   (a relay may recover)
 *   stopping     → stopped
 *   stopped      → (terminal)
 */
const STREAM_TRANSITIONS: Record<StreamStatus, readonly StreamStatus[]> = {
  initializing: ['connecting', 'error', 'stopping', 'stopped'],
  connecting: ['active', 'reconnecting', 'error', 'stopping', 'stopped'],
  active: ['reconnecting', 'error', 'stopping', 'stopped'],
  reconnecting: ['connecting', 'active', 'error', 'stopping', 'stopped'],
  error: ['connecting', 'active', 'reconnecting', 'stopping', 'stopped'],
  stopping: ['stopped'],
  stopped: [],
};

export function canTransitionStream(from: StreamStatus, to: StreamStatus): boolean {
  return STREAM_TRANSITIONS[from].includes(to);
}

/** A stream holds its user's one live slot until it starts stopping. */
export function holdsLiveSlot(status: StreamStatus): boolean {
  return status !== 'stopping' && status !== 'stopped';
}

export function isEnded(status: StreamStatus): boolean {
  return status === 'stopping' || status === 'stopped';
}

export const LIVE_STREAM_STATUSES: readonly StreamStatus[] = ['initializing', 'connecting', 'active', 'reconnecting', 'error'];
