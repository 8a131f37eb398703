import type { DestinationRow } from './managed-streams.repository';

/** A destination's last failure as apps see it: what went wrong, what to check, and when. */
export interface DestinationErrorView {
  code: NonNullable<DestinationRow['lastErrorCode']>;
  message: string;
  at: string;
}

/** Errors recorded before codes existed (or by a carrier that gives none) read as `unknown`, dated by the row. */
export function destinationErrorOf(
  row: Pick<DestinationRow, 'lastError' | 'lastErrorCode' | 'lastErrorAt' | 'updatedAt'>,
): DestinationErrorView | null {
  if (row.lastError === null) return null;
  return {
    code: row.lastErrorCode ?? 'unknown',
    message: row.lastError,
    at: (row.lastErrorAt ?? row.updatedAt).toISOString(),
  };
}

/** What `destination.status` events carry besides the status: the figures a retry changes and the error. */
export function destinationHealthData(
  row: Pick<DestinationRow, 'attempts' | 'nextRetryAt' | 'lastError' | 'lastErrorCode' | 'lastErrorAt' | 'updatedAt'>,
): Record<string, unknown> {
  return {
    attempts: row.attempts,
    nextRetryAt: row.nextRetryAt?.toISOString() ?? null,
    lastError: destinationErrorOf(row),
  };
}
