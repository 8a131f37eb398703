import { relayStreamStatusSchema } from '../../protocol/relay-protocol.schemas';
import { reportedDestinations, reportedStatus, type ReportedState } from './stream-report';

const live: ReportedState = { state: 'live', encoderFault: null, recoveredFrom: null, stopCause: null };

describe('reportedStatus', () => {
  it('reports the pipeline states as the API names them', () => {
    expect(reportedStatus({ ...live, state: 'starting' })).toEqual({ status: 'connecting' });
    expect(reportedStatus(live)).toEqual({ status: 'active' });
    expect(reportedStatus({ ...live, state: 'reconnecting' })).toEqual({ status: 'reconnecting' });
  });

  it('reports an encoder that keeps failing as the stream error, and its recovery on the next active', () => {
    const fault = 'the encoder keeps failing (the encoder exited (SIGKILL)); no output for 3 s';
    expect(reportedStatus({ ...live, encoderFault: fault })).toEqual({ status: 'error', reason: fault });
    expect(reportedStatus({ ...live, state: 'reconnecting', encoderFault: fault })).toMatchObject({ status: 'error' });
    expect(reportedStatus({ ...live, recoveredFrom: 'the encoder exited (SIGKILL)' })).toEqual({
      status: 'active',
      reason: 'the encoder runs again (it had failed: the encoder exited (SIGKILL))',
    });
  });

  it('says why a stopped stream stopped, in the final report', () => {
    const reported = reportedStatus({ ...live, state: 'stopped', stopCause: 'publisher_left' }, 'the publisher left');
    expect(reported).toEqual({ status: 'stopped', reason: 'the publisher left', stopCause: 'publisher_left' });
    expect(relayStreamStatusSchema.parse({ userId: 'u', streamId: 's', ...reported })).toMatchObject(reported);
  });
});

describe('reportedDestinations', () => {
  const destinations = [
    { id: 'a', status: 'broadcasting' as const },
    {
      id: 'b',
      status: 'retrying' as const,
      lastError: { code: 'key_rejected' as const, message: 'refused', at: '2026-12-02T18:00:00.000Z' },
    },
  ];

  it('blames no destination for a failing encoder: a session without pictures is waiting for them', () => {
    expect(reportedDestinations(destinations, 'error')).toEqual([{ id: 'a', status: 'starting' }, destinations[1]]);
  });

  it('stops every destination with the stream, and leaves them as they are otherwise', () => {
    expect(reportedDestinations(destinations, 'stopped').map((d) => d.status)).toEqual(['stopped', 'stopped']);
    expect(reportedDestinations(destinations, 'active')).toEqual(destinations);
  });
});
