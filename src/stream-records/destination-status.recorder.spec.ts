import { strictFake } from '../../test/support/strict-fake';
import { DestinationStatusRecorder } from './destination-status.recorder';
import type { DestinationRow, ManagedStreamsRepository } from './managed-streams.repository';
import type { StreamEventBus } from './stream-event-bus';

const destination = { id: 'd_1', appId: 'app_1', status: 'starting' } as DestinationRow;

function setup() {
  const mocks = {
    streams: strictFake<ManagedStreamsRepository>('streams', {
      updateDestination: jest.fn(async () => ({ destination, events: [] })),
    }),
    bus: strictFake<StreamEventBus>('bus', { publish: jest.fn(async () => undefined) }),
  };
  return { sut: new DestinationStatusRecorder(mocks.streams, mocks.bus), mocks };
}

describe('DestinationStatusRecorder', () => {
  it('writes the status with its columns and records the event, then publishes it', async () => {
    const { sut, mocks } = setup();

    await sut.record('ms_1', destination, {
      status: 'idle',
      reason: 'enabled',
      also: { enabled: true, lastError: null },
      data: { enabled: true },
      bumpVersion: true,
    });

    expect(mocks.streams.updateDestination).toHaveBeenCalledWith(
      'ms_1',
      'd_1',
      { enabled: true, lastError: null, status: 'idle' },
      [
        {
          streamId: 'ms_1',
          destinationId: 'd_1',
          appId: 'app_1',
          type: 'destination.status',
          status: 'idle',
          reason: 'enabled',
          data: { enabled: true },
        },
      ],
      true,
    );
    expect(mocks.bus.publish).toHaveBeenCalledTimes(1);
  });

  it('decides on the stored row whether a relay report is news: a new status or error code, not a repeat', async () => {
    const { sut, mocks } = setup();

    await sut.record('ms_1', destination, {
      status: 'retrying',
      reason: 'refused',
      also: { lastErrorCode: 'connection_refused', attempts: 4 },
      eventOnlyOnChange: true,
    });

    const [, , patch, decide] = (mocks.streams.updateDestination as jest.Mock).mock.calls[0] as [
      string,
      string,
      object,
      (before: { status: string; lastErrorCode: string | null }) => { status: string }[],
    ];
    expect(patch).toEqual({ lastErrorCode: 'connection_refused', attempts: 4, status: 'retrying' });
    expect(decide({ status: 'retrying', lastErrorCode: 'connection_refused' })).toEqual([]);
    expect(decide({ status: 'retrying', lastErrorCode: 'dns_failed' })).toMatchObject([
      { status: 'retrying', reason: 'refused' },
    ]);
    expect(decide({ status: 'starting', lastErrorCode: null })).toMatchObject([{ status: 'retrying' }]);
  });
});
