import { randomBytes } from 'node:crypto';
import { ConfigError, parseConfig } from './config.schema';

const valid = {
  DATABASE_URL: 'postgresql://localhost/db',
  REDIS_URL: 'redis://localhost:6379',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PUBLISH_KEY_SECRET: 'p'.repeat(32),
  RELAY_TOKENS: 't'.repeat(24),
};

describe('parseConfig', () => {
  it('applies defaults', () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, PROCESS_ROLE: 'all', RTMP_RELAY_URLS: [], ALLOW_PRIVATE_DESTINATIONS: false });
    expect(config.ENCRYPTION_KEYS[0].key).toHaveLength(32);
  });

  it('names every bad variable', () => {
    const attempt = () =>
      parseConfig({
        ...valid,
        DATABASE_URL: 'mysql://x',
        ENCRYPTION_KEYS: 'k1:short',
        RTMP_RELAY_URLS: 'rtmp://a:1935',
        PORT: 'abc',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/);
    expect(attempt).toThrow(/ENCRYPTION_KEYS: key "k1" must be 32 bytes/);
  });

  it('requires one HLS URL per static relay', () => {
    expect(() => parseConfig({ ...valid, RTMP_RELAY_URLS: 'rtmp://a:1935' })).toThrow(/RTMP_RELAY_HLS_URLS/);
    expect(
      parseConfig({ ...valid, RTMP_RELAY_URLS: 'rtmp://a:1935', RTMP_RELAY_HLS_URLS: 'http://a:8888' }).RTMP_RELAY_URLS,
    ).toEqual(['rtmp://a:1935']);
  });

  it('configures Cloudflare with both account id and token, treats empty values as unset, and names a half setup', () => {
    const account = '0123456789abcdef0123456789abcdef';
    expect(parseConfig({ ...valid, CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: 'token' })).toMatchObject({
      CLOUDFLARE_ACCOUNT_ID: account,
      CLOUDFLARE_API_BUDGET_PER_5_MIN: 1000,
    });
    expect(parseConfig({ ...valid, CLOUDFLARE_ACCOUNT_ID: '', CLOUDFLARE_API_TOKEN: '' }).CLOUDFLARE_ACCOUNT_ID).toBeUndefined();
    expect(() => parseConfig({ ...valid, CLOUDFLARE_ACCOUNT_ID: account })).toThrow(/CLOUDFLARE_API_TOKEN: set both/);
    expect(() => parseConfig({ ...valid, CLOUDFLARE_ACCOUNT_ID: 'nope', CLOUDFLARE_API_TOKEN: 't' })).toThrow(
      /CLOUDFLARE_ACCOUNT_ID: must be a 32-character hex account id/,
    );
  });
});
