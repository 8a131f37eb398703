import { randomBytes } from 'node:crypto';
import { AppConfig, parseConfig } from '../../src/config/config.schema';

export const TEST_RELAY_TOKEN = 'relay-token-for-tests-0123456789';

/** A complete configuration for tests; keys are random per call. */
export function testConfig(overrides: Record<string, string>): AppConfig {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PUBLISH_KEY_SECRET: randomBytes(32).toString('base64url'),
    RELAY_TOKENS: TEST_RELAY_TOKEN,
    RTMP_RELAY_URLS: 'rtmp://relay.test:1935',
    RTMP_RELAY_HLS_URLS: 'http://relay.test:8888',
    ALLOW_PRIVATE_DESTINATIONS: 'false',
    STREAM_STOP_GRACE_SECONDS: '30',
    // Tests and the API benchmark send bursts; the limit itself is tested with a low override.
    APP_RATE_LIMIT_PER_MINUTE: '1000000',
    ...overrides,
  });
}
