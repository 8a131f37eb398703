import type { RelayStopCause, RelayStreamStatus } from '../../protocol/relay-protocol.schemas';
import type { PipelineState } from '../stream/stream-pipeline';

/** What a status report says of a stream, from the pipeline's state and faults. */
export interface ReportedState {
  state: PipelineState;
  /** The encoder has been failing long enough to be the stream's fault (null: it runs). */
  encoderFault: string | null;
  /** The fault the encoder just recovered from, if any. */
  recoveredFrom: string | null;
  stopCause: RelayStopCause | null;
}

const STATUS_BY_STATE = {
  starting: 'connecting',
  live: 'active',
  reconnecting: 'reconnecting',
  stopping: 'stopped',
  stopped: 'stopped',
} as const satisfies Record<PipelineState, RelayStreamStatus['status']>;

/**
 * The status a report carries. A fault is reported where it is: an encoder that keeps failing makes
 * the stream `error` (its destinations' sessions are fine, they just get nothing), and its recovery
 * says so on the next `active`.
 */
export function reportedStatus(
  pipeline: ReportedState,
  finalReason?: string,
): Pick<RelayStreamStatus, 'status' | 'reason' | 'stopCause'> {
  const status = STATUS_BY_STATE[pipeline.state];
  if (status === 'stopped') {
    return {
      status,
      ...(finalReason ? { reason: finalReason } : {}),
      ...(pipeline.stopCause ? { stopCause: pipeline.stopCause } : {}),
    };
  }
  if (pipeline.encoderFault) return { status: 'error', reason: pipeline.encoderFault.slice(0, 500) };
  if (status === 'active' && pipeline.recoveredFrom) {
    return { status, reason: `the encoder runs again (it had failed: ${pipeline.recoveredFrom})`.slice(0, 500) };
  }
  return { status };
}

type ReportedDestination = NonNullable<RelayStreamStatus['destinations']>[number];

/**
 * The destinations as a report carries them. With the stream `stopped` every one is; while the
 * encoder is failing, a destination whose session is up gets no pictures: it is waiting for them
 * (`starting`), not `broadcasting`, and not at fault.
 */
export function reportedDestinations(
  destinations: readonly ReportedDestination[],
  status: RelayStreamStatus['status'],
): ReportedDestination[] {
  if (status === 'stopped') return destinations.map((d) => ({ id: d.id, status: 'stopped' }));
  if (status === 'error') return destinations.map((d) => (d.status === 'broadcasting' ? { ...d, status: 'starting' } : d));
  return [...destinations];
}
