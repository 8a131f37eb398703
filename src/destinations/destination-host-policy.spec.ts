import { testConfig } from '../../test/support/test-config';
import { InvalidInputError } from '../common/errors';
import { DestinationHostPolicy, HostResolver, isNonPublicAddress } from './destination-host-policy';

class FakeResolver extends HostResolver {
  constructor(private readonly answers: Record<string, string[]>) {
    super();
  }
  override async resolve(host: string): Promise<string[]> {
    const answer = this.answers[host];
    if (!answer) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return answer;
  }
}

function setup(answers: Record<string, string[]> = {}, allowPrivate = false) {
  const config = testConfig({
    DATABASE_URL: 'postgres://x/y',
    REDIS_URL: 'redis://x',
    ALLOW_PRIVATE_DESTINATIONS: String(allowPrivate),
  });
  return { sut: new DestinationHostPolicy(config, new FakeResolver(answers)) };
}

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('%s is not public', (address) => expect(isNonPublicAddress(address)).toBe(true));
  it.each(['8.8.8.8', '142.250.1.1', '2607:f8b0:4005::1'])('%s is public', (address) =>
    expect(isNonPublicAddress(address)).toBe(false),
  );
});

describe('DestinationHostPolicy', () => {
  it('refuses names that resolve inside, accepts public and unresolvable ones', async () => {
    const { sut } = setup({ 'evil.example.com': ['203.0.113.5', '10.0.0.8'], 'good.example.com': ['8.8.4.4'] });
    await expect(sut.assertAllowed('evil.example.com', 'url')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(sut.assertAllowed('good.example.com', 'url')).resolves.toBeUndefined();
    await expect(sut.assertAllowed('nowhere.example.com', 'url')).resolves.toBeUndefined();
    await expect(sut.assertAllowed('127.0.0.1', 'url')).rejects.toThrow('loopback, private or link-local');
  });

  it('allows everything when the flag is set', async () => {
    const { sut } = setup({}, true);
    await expect(sut.assertAllowed('127.0.0.1', 'url')).resolves.toBeUndefined();
  });
});
