import { strictFake } from '../../test/support/strict-fake';
import { testConfig } from '../../test/support/test-config';
import { EncryptionService } from '../common/crypto/encryption.service';
import { ConflictError } from '../common/errors';
import { Random } from '../common/random';
import { DestinationHostPolicy } from '../destinations/destination-host-policy';
import { DestinationInputResolver, ResolvedDestination } from '../destinations/destination-input.resolver';
import { CloudflareJobsProducer } from '../queues/cloudflare-jobs.producer';
import { RelayRegistryService } from '../relays/relay-registry.service';
import type { RelayRecord } from '../relays/relays.repository';
import { RelayStrategy } from '../strategies/relay.strategy';
import { StrategyRegistry } from '../strategies/strategy-registry';
import type { StreamStrategy } from '../strategies/stream-strategy';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import { CreateManagedStreamInput } from './managed-stream.schemas';
import {
  DuplicateDestinationError,
  LiveSlotTakenError,
  ManagedStreamsRepository,
  NewDestinationRow,
  NewStreamRow,
  StreamPatch,
  StreamRow,
} from '../stream-records/managed-streams.repository';
import { ManagedStreamsService } from './managed-streams.service';
import { PublishKeyService } from '../relays/publish-key.service';
import { RelayReassignmentService } from '../relays/relay-reassignment.service';
import { StrategyDestinations } from '../strategies/strategy-destinations';
import { StreamEventBus } from '../stream-records/stream-event-bus';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import type { NewStreamEvent, StreamEventMessage } from '../stream-records/stream-events';
import { StreamLifecycleService } from './stream-lifecycle.service';
import { StreamPresenter } from './stream-presenter';
import { StreamProvisioner } from './stream-provisioner';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const config = testConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' });

const relay: RelayRecord = {
  id: 'relay-a',
  rtmpUrl: 'rtmp://relay-a:1935',
  hlsBaseUrl: 'http://relay-a:8080',
  region: null,
  capacity: 10,
  load: 0,
  state: 'active',
  lastHeartbeatAt: NOW,
  createdAt: NOW,
  updatedAt: NOW,
};

/** Two destinations as the resolver hands them over: key encrypted for the row, and in clear beside it. */
const resolved: ResolvedDestination[] = ['yt-key-0001', 'tw-key-0002'].map((streamKey, index) => ({
  streamKey,
  row: {
    id: `dst_${index}`,
    appId: 'app_1',
    savedDestinationId: null,
    name: `Destination ${index}`,
    url: `rtmp://live.example.com/app${index}`,
    streamKeyCipher: `cipher-of-${streamKey}`,
    fingerprint: `fp-${index}`,
    enabled: true,
  },
}));

function input(overrides: Partial<CreateManagedStreamInput> = {}): CreateManagedStreamInput {
  return {
    userId: 'glasses@example.com',
    quality: '720p',
    enableWebRTC: false,
    strategy: 'auto',
    restreamDestinations: [],
    savedDestinationIds: [],
    reconnectWindowSeconds: 60,
    record: false,
    ...overrides,
  };
}

/** What the database gives back for an insert: the written columns plus its defaults. */
function storedRow(stream: NewStreamRow, destinations: readonly NewDestinationRow[], initial: StreamPatch): StreamRow {
  const { appId, ...fields } = stream;
  return {
    ...fields,
    liveUserId: stream.userId,
    status: 'initializing',
    statusReason: null,
    ingestBaseUrl: null,
    publishKeyHash: null,
    relayId: null,
    cloudflareLiveInputId: null,
    cloudflareIngestCipher: null,
    cloudflareState: null,
    cloudflareStateAt: null,
    cloudflareConnectedAt: null,
    cloudflareVideoAt: null,
    cloudflareError: null,
    hlsUrl: null,
    hlsReadyAt: null,
    dashUrl: null,
    webrtcUrl: null,
    destinationsVersion: 0,
    createdAt: NOW,
    updatedAt: NOW,
    startedAt: null,
    endedAt: null,
    bitrateKbps: null,
    fps: null,
    durationSeconds: null,
    droppedFrames: null,
    viewers: null,
    statsUpdatedAt: null,
    outputMode: null,
    outputModeReason: null,
    ingestUpdatedAt: null,
    ingestGrade: null,
    ...initial,
    ingest: initial.ingest ?? null,
    attachments: [{ appId }],
    destinations: destinations.map((d, index) => ({
      ...d,
      streamId: stream.id,
      status: 'idle',
      lastError: null,
      lastErrorCode: null,
      lastErrorAt: null,
      attempts: 0,
      nextRetryAt: null,
      sentBitrateKbps: null,
      sentFrames: null,
      retryRequests: 0,
      cloudflareOutputId: null,
      position: index + 1,
      createdAt: NOW,
      updatedAt: NOW,
    })),
  };
}

function storedEvents(events: readonly NewStreamEvent[]): StreamEventMessage[] {
  return events.map((event, index) => ({
    id: String(index + 1),
    streamId: event.streamId,
    destinationId: event.destinationId ?? null,
    appId: event.appId ?? null,
    type: event.type,
    status: event.status ?? null,
    reason: event.reason ?? null,
    data: event.data ?? null,
    createdAt: NOW.toISOString(),
  }));
}

/**
 * The service with strict fakes around it, except the pure helpers that shape rows and responses
 * (presenter, strategy destinations, the relay strategy): those are real, over an EncryptionService
 * that can do nothing, so any decryption on the create path fails the test.
 */
function setup(opts: { choice?: Awaited<ReturnType<StrategyRegistry['choose']>>; hybrid?: StreamStrategy } = {}) {
  const registry = strictFake<RelayRegistryService>('relayRegistry', { pickFor: jest.fn(async () => relay) });
  const relayStrategy = new RelayStrategy(registry, new PublishKeyService(config));
  const mocks = {
    registry,
    relayStrategy,
    destinationInputs: strictFake<DestinationInputResolver>('destinationInputs', {
      resolveWithKeys: jest.fn(async () => resolved),
    }),
    streams: strictFake<ManagedStreamsRepository>('streams', {
      create: jest.fn(async (stream: NewStreamRow, destinations: readonly NewDestinationRow[], initial: StreamPatch, events) => ({
        row: storedRow(stream, destinations, initial),
        events: storedEvents(events),
      })),
    }),
    strategies: strictFake<StrategyRegistry>('strategies', {
      choose: jest.fn(async () => opts.choice ?? { strategy: 'relay' as const, reason: 'auto: Cloudflare is not configured' }),
      get: jest.fn((name) => (name === 'relay' ? relayStrategy : (opts.hybrid as StreamStrategy))),
    }),
    bus: strictFake<StreamEventBus>('bus', { publish: jest.fn(async () => undefined) }),
    provisioner: strictFake<StreamProvisioner>('provisioner', { recentCloudflareError: jest.fn(async () => null) }),
    reassignment: strictFake<RelayReassignmentService>('reassignment', {
      ensureLiveRelay: jest.fn(async (row: StreamRow) => ({ row, reassigned: false })),
    }),
  };
  const encryption = strictFake<EncryptionService>('encryption', {});
  let ids = 0;
  const sut = new ManagedStreamsService(
    mocks.streams,
    mocks.destinationInputs,
    mocks.strategies,
    strictFake<StreamLifecycleService>('lifecycle', {}),
    mocks.bus,
    new StreamPresenter(encryption, new PublishKeyService(config)),
    new StrategyDestinations(encryption),
    strictFake<Random>('random', { id: (prefix: string) => `${prefix}_${++ids}` }),
    mocks.provisioner,
    strictFake<DestinationProvisionResults>('destinationResults', {}),
    strictFake<CloudflareJobsProducer>('cloudflareJobs', {}),
    mocks.reassignment,
    strictFake<DestinationHostPolicy>('hostPolicy', {}),
    strictFake<DestinationStatusRecorder>('destinationStatus', {}),
  );
  return { sut, mocks };
}

describe('ManagedStreamsService.start on the relay', () => {
  it('stores the stream ready, with its destinations and events, in one call and answers from what it stored', async () => {
    const { sut, mocks } = setup();

    const { stream, joined } = await sut.start('app_1', input());

    expect(joined).toBe(false);
    expect(mocks.registry.pickFor).toHaveBeenCalledTimes(1);
    expect(mocks.streams.create).toHaveBeenCalledTimes(1);
    const [row, destinations, initial, events] = (mocks.streams.create as jest.Mock).mock.calls[0] as Parameters<
      ManagedStreamsRepository['create']
    >;
    expect(row).toMatchObject({ id: 'ms_1', appId: 'app_1', userId: 'glasses@example.com', strategy: 'relay' });
    expect(destinations).toEqual(resolved.map((d) => d.row));
    expect(initial).toMatchObject({
      status: 'connecting',
      relayId: 'relay-a',
      statusReason: 'waiting for the glasses to publish',
    });
    expect(events.map((event) => [event.type, event.status ?? null])).toEqual([
      ['stream.status', 'initializing'],
      ['destination.added', 'idle'],
      ['destination.added', 'idle'],
      ['stream.status', 'connecting'],
    ]);
    expect(mocks.bus.publish).toHaveBeenCalledWith(storedEvents(events));

    expect(stream).toMatchObject({
      streamId: 'ms_1',
      status: 'connecting',
      strategy: 'relay',
      apps: 1,
      hlsUrl: 'http://relay-a:8080/hls/' + row.userPathSegment + '/ms_1/index.m3u8',
    });
    expect(stream.ingestUrl).toMatch(new RegExp(`^rtmp://relay-a:1935/live/${row.userPathSegment}/ms_1\\?key=pk_`));
    // Masked from the keys in clear the resolver handed over: nothing was decrypted.
    expect(stream.destinations.map((d) => [d.id, d.streamKeyMasked])).toEqual([
      ['dst_0', '****0001'],
      ['dst_1', '****0002'],
    ]);
  });

  it('provisions the relay it picked while choosing, without picking again', async () => {
    const other = { ...relay, id: 'relay-b', rtmpUrl: 'rtmp://relay-b:1935' };
    const { sut, mocks } = setup({ choice: { strategy: 'relay', reason: 'auto: recent Cloudflare error', relay: other } });

    const { stream } = await sut.start('app_1', input());

    expect(mocks.registry.pickFor).not.toHaveBeenCalled();
    expect(stream.ingestUrl).toMatch(/^rtmp:\/\/relay-b:1935\/live\//);
  });

  it('answers 409 duplicate_destination when the database refuses a destination twice', async () => {
    const { sut, mocks } = setup();
    (mocks.streams.create as jest.Mock).mockRejectedValueOnce(new DuplicateDestinationError());

    const failure = await sut.start('app_1', input()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toMatchObject({ code: 'duplicate_destination' });
    expect(mocks.bus.publish).not.toHaveBeenCalled();
  });
});

describe('ManagedStreamsService.start on a carrier that provisions after the insert', () => {
  it('inserts the stream initializing, then hands the provisioner the relay chosen and the keys in clear', async () => {
    const hybrid = strictFake<StreamStrategy>('hybrid', { name: 'hybrid', provisionsBeforeInsert: false });
    const { sut, mocks } = setup({ choice: { strategy: 'hybrid', reason: 'asked for hybrid', relay }, hybrid });
    const provision = jest.fn(async (row: StreamRow) => ({ ...row, status: 'connecting' as const }));
    Object.assign(mocks.provisioner, { provision });

    const { stream } = await sut.start('app_1', input({ strategy: 'hybrid' }));

    expect((mocks.streams.create as jest.Mock).mock.calls[0][2]).toEqual({ status: 'initializing' });
    expect(provision).toHaveBeenCalledTimes(1);
    const [, strategyDestinations, picked] = provision.mock.calls[0] as unknown as Parameters<StreamProvisioner['provision']>;
    expect(picked).toBe(relay);
    expect(strategyDestinations.map((d) => d.fullUrl)).toEqual([
      'rtmp://live.example.com/app0/yt-key-0001',
      'rtmp://live.example.com/app1/tw-key-0002',
    ]);
    expect(mocks.registry.pickFor).not.toHaveBeenCalled();
    expect(stream.status).toBe('connecting');
  });
});

describe('ManagedStreamsService.start when the user is already live', () => {
  it('joins the live stream, and refuses with 409 already_streaming when this app is on it already', async () => {
    const { sut, mocks } = setup();
    const live = storedRow(liveStream, [], { status: 'active' });
    (mocks.streams.create as jest.Mock).mockRejectedValueOnce(new LiveSlotTakenError());
    Object.assign(mocks.streams, { findLiveByUserId: jest.fn(async () => live) });

    const failure = await sut.start('app_1', input()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toMatchObject({ code: 'already_streaming' });
    expect(mocks.reassignment.ensureLiveRelay).toHaveBeenCalledWith(live);
  });
});

const liveStream: NewStreamRow = {
  id: 'ms_live',
  appId: 'app_1',
  userId: 'glasses@example.com',
  userPathSegment: 'seg',
  strategy: 'relay',
  strategyReason: null,
  quality: '720p',
  enableWebRTC: false,
  durationLimit: null,
  reconnectWindowSeconds: 60,
  record: false,
  slateText: 'back soon',
  slateImageUrl: null,
};
