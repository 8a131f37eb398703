import type { RecordingsService } from '../recordings/recordings.service';
import { publishAuthResponseSchema } from '../../relay/protocol/relay-protocol.schemas';
import { strictFake } from '../../test/support/strict-fake';
import { testConfig } from '../../test/support/test-config';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { ManagedStreamsRepository, StreamRow } from '../stream-records/managed-streams.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { RelayReassignmentService } from '../relays/relay-reassignment.service';
import { StreamTransition, StreamTransitions } from '../stream-records/stream-transitions';
import { StrategyDestinations } from '../strategies/strategy-destinations';
import { RelayRegistryService } from '../relays/relay-registry.service';
import { StreamSamplesRepository } from '../stream-history/stream-samples.repository';
import { RtmpRelayService } from './rtmp-relay.service';

const publishKeys = new PublishKeyService(testConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' }));
const KEY = publishKeys.keyFor('ms_1');

function setup(stream: Partial<StreamRow> | null, knownRelays: string[] = []) {
  const row =
    stream &&
    ({
      id: 'ms_1',
      userId: 'u@x',
      userPathSegment: 'useg',
      status: 'connecting',
      relayId: 'r1',
      publishKeyHash: publishKeys.hash(KEY),
      strategy: 'relay',
      quality: '720p',
      destinationsVersion: 0,
      reconnectWindowSeconds: 60,
      slateText: 'Back soon',
      slateImageUrl: null,
      record: true,
      destinations: [],
      attachments: [],
      ...stream,
    } as StreamRow);
  const mocks = {
    streams: strictFake<ManagedStreamsRepository>('streams', { findById: jest.fn(async () => row) }),
    transitions: strictFake<StreamTransitions>('transitions', { transition: jest.fn(async () => row) }),
    registry: strictFake<RelayRegistryService>('registry', {
      findById: jest.fn(async (id: string) => (knownRelays.includes(id) ? ({ id } as never) : null)),
    }),
    reassignment: strictFake<RelayReassignmentService>('reassignment', { moveTo: jest.fn(async () => row as StreamRow) }),
  };
  const sut = new RtmpRelayService(
    mocks.streams,
    mocks.transitions,
    publishKeys,
    strictFake<StrategyDestinations>('strategyDestinations', {}),
    mocks.registry,
    strictFake<DestinationStatusRecorder>('destinationStatus', {}),
    new Clock(),
    strictFake<EncryptionService>('encryption', {}),
    mocks.reassignment,
    strictFake<StreamSamplesRepository>('samples', {}),
    strictFake<RecordingsService>('recordings', {}),
  );
  return { sut, mocks };
}

describe('RtmpRelayService.publishAuth', () => {
  it("allows the stream's own key on its own path", async () => {
    const { sut, mocks } = setup({});
    const answer = await sut.publishAuth('live/useg/ms_1', KEY);
    expect(publishAuthResponseSchema.parse(answer)).toEqual(answer);
    expect(answer).toEqual({
      allowed: true,
      streamId: 'ms_1',
      userId: 'u@x',
      plan: {
        streamId: 'ms_1',
        userId: 'u@x',
        quality: '720p',
        reconnectWindowSeconds: 60,
        slate: { text: 'Back soon', imageUrl: null },
        destinationsVersion: 0,
        destinations: [],
        record: true,
      },
    });
    expect(mocks.transitions.transition).not.toHaveBeenCalled();
  });

  it('allows the glasses back on a stream that is reconnecting (its slate on air)', async () => {
    const answer = await setup({ status: 'reconnecting' }).sut.publishAuth('live/useg/ms_1', KEY);
    expect(answer).toMatchObject({ allowed: true, streamId: 'ms_1', plan: { reconnectWindowSeconds: 60 } });
  });

  it.each([
    ['live/other/ms_1', KEY, 'unknown stream'],
    ['live/useg/ms_1', `${KEY}x`, 'wrong or missing key'],
    ['live/useg/ms_1', '', 'wrong or missing key'],
    ['ms_1', KEY, 'path must be live/{user}/{streamId}'],
  ])('refuses %s with key %s', async (path, key, reason) => {
    expect(await setup({}).sut.publishAuth(path, key)).toEqual({ allowed: false, reason });
  });

  it('refuses an unknown stream and a stream that is stopping or stopped', async () => {
    expect(await setup(null).sut.publishAuth('live/useg/ms_1', KEY)).toEqual({ allowed: false, reason: 'unknown stream' });
    expect(await setup({ status: 'stopping' }).sut.publishAuth('live/useg/ms_1', KEY)).toEqual({
      allowed: false,
      reason: 'stream is stopping',
    });
  });

  it('moves the stream to a known relay that took the publish', async () => {
    const { sut, mocks } = setup({}, ['r2']);
    await sut.publishAuth('live/useg/ms_1', KEY, 'r2');
    expect(mocks.reassignment.moveTo).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'ms_1' }),
      { id: 'r2' },
      'published through relay r2',
    );
    const unknown = setup({});
    await unknown.sut.publishAuth('live/useg/ms_1', KEY, 'r9');
    expect(unknown.mocks.reassignment.moveTo).not.toHaveBeenCalled();
  });
});

describe('RtmpRelayService.streamStatus', () => {
  const destination = (id: string, enabled: boolean) =>
    ({ id, appId: 'app_1', enabled, status: enabled ? 'broadcasting' : 'stopped', lastError: null }) as never;

  function statusSetup(stream: Partial<StreamRow>) {
    const row = {
      id: 'ms_1',
      userId: 'u@x',
      userPathSegment: 'useg',
      status: 'active',
      reconnectWindowSeconds: 60,
      attachments: [{ appId: 'app_1' }],
      destinations: [destination('dst_on', true), destination('dst_off', false)],
      ...stream,
    } as StreamRow;
    const record = jest.fn(async () => ({}) as never);
    const transition = jest.fn(async (change: StreamTransition) => ({ ...row, status: change.to ?? row.status }));
    const sut = new RtmpRelayService(
      strictFake<ManagedStreamsRepository>('streams', { findById: jest.fn(async () => row) }),
      strictFake<StreamTransitions>('transitions', { transition }),
      publishKeys,
      strictFake<StrategyDestinations>('strategyDestinations', {}),
      strictFake<RelayRegistryService>('registry', {}),
      strictFake<DestinationStatusRecorder>('destinationStatus', { record }),
      new Clock(),
      strictFake<EncryptionService>('encryption', {}),
      strictFake<RelayReassignmentService>('reassignment', {}),
      strictFake<StreamSamplesRepository>('samples', { record: jest.fn(async () => true) }),
      strictFake<RecordingsService>('recordings', {}),
    );
    return { sut, record, transition };
  }

  it('takes the relay word only for destinations it should feed: a disabled one stays stopped', async () => {
    const { sut, record } = statusSetup({});
    await sut.streamStatus({
      userId: 'u@x',
      streamId: 'ms_1',
      status: 'active',
      destinations: [
        {
          id: 'dst_on',
          status: 'retrying',
          lastError: { code: 'connection_refused', message: 'refused', at: '2026-12-02T18:00:00.000Z' },
        },
        { id: 'dst_off', status: 'broadcasting' },
      ],
    });
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith('ms_1', expect.objectContaining({ id: 'dst_on' }), expect.anything());
  });

  it('records a stop the relay confirms as confirmed, and takes no destination status from it', async () => {
    const { sut, record, transition } = statusSetup({ status: 'stopping' });
    await sut.streamStatus({ userId: 'u@x', streamId: 'ms_1', status: 'stopped', reason: 'stopped by the API' });
    expect(transition).toHaveBeenCalledWith(expect.objectContaining({ to: 'stopped', reason: 'the relay confirmed the stop' }));
    expect(record).not.toHaveBeenCalled();
  });
});
