import { strictFake } from '../../test/support/strict-fake';
import { testConfig } from '../../test/support/test-config';
import { CloudflareCallError } from '../cloudflare/cloudflare-errors';
import { Clock } from '../common/clock';
import { ServiceUnavailableError } from '../common/errors';
import { RelayStrategy } from '../strategies/relay.strategy';
import { StrategyRegistry } from '../strategies/strategy-registry';
import type { StreamStrategy } from '../strategies/stream-strategy';
import { DestinationProvisionResults } from '../strategies/destination-provision-results';
import { ManagedStreamsRepository, StreamRow } from '../stream-records/managed-streams.repository';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { StreamProvisioner } from './stream-provisioner';

const row = {
  id: 'ms_1',
  userId: 'u@x',
  userPathSegment: 'useg',
  status: 'initializing',
  strategy: 'cloudflare',
  strategyReason: 'auto: Cloudflare is available',
  relayId: null,
  cloudflareLiveInputId: null,
  enableWebRTC: false,
  destinations: [],
} as unknown as StreamRow;

function setup(relayProvision: RelayStrategy['provision']) {
  const mocks = {
    cloudflare: strictFake<StreamStrategy>('cloudflare', {
      provision: jest.fn(async () => {
        throw new CloudflareCallError('transient', 503, 'create live input: 503 Service Unavailable');
      }),
    }),
    relay: strictFake<RelayStrategy>('relay', { provision: jest.fn(relayProvision) }),
    transitions: strictFake<StreamTransitions>('transitions', { transition: jest.fn(async () => row) }),
  };
  const sut = new StreamProvisioner(
    strictFake<StrategyRegistry>('strategies', { get: () => mocks.cloudflare }),
    mocks.relay,
    mocks.transitions,
    strictFake<DestinationProvisionResults>('destinationResults', {}),
    strictFake<ManagedStreamsRepository>('streams', {}),
    testConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' }),
    new Clock(),
  );
  return { sut, mocks };
}

describe('StreamProvisioner when Cloudflare fails and the relay fallback has no capacity', () => {
  it('answers 503 naming both, and the stopped row says it went to the relay and why', async () => {
    const { sut, mocks } = setup(async () => {
      throw new ServiceUnavailableError('No relay has free capacity right now; try again shortly');
    });

    const failure = await sut.provision(row, []).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect((failure as Error).message).toBe(
      'Cloudflare could not take the stream (create live input: 503 Service Unavailable) and ' +
        'no relay has free capacity right now; try again shortly',
    );
    expect(mocks.transitions.transition).toHaveBeenCalledTimes(1);
    expect(mocks.transitions.transition).toHaveBeenCalledWith({
      streamId: 'ms_1',
      to: 'stopped',
      reason: expect.stringMatching(/^provisioning failed: /),
      patch: {
        strategy: 'relay',
        strategyReason:
          'cloudflare failed at provisioning (create live input: 503 Service Unavailable); fell back to relay, ' +
          'which failed too (No relay has free capacity right now; try again shortly)',
      },
    });
  });

  it('keeps any other relay error as it is', async () => {
    const boom = new Error('database went away');
    const { sut, mocks } = setup(async () => {
      throw boom;
    });

    await expect(sut.provision(row, [])).rejects.toBe(boom);
    expect(mocks.transitions.transition).toHaveBeenCalledWith({
      streamId: 'ms_1',
      to: 'stopped',
      reason: 'provisioning failed: database went away',
      patch: expect.objectContaining({ strategy: 'relay' }),
    });
  });
});
