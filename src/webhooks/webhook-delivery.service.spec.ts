import { strictFake } from '../../test/support/strict-fake';
import { testConfig } from '../../test/support/test-config';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { InvalidInputError } from '../common/errors';
import { Random } from '../common/random';
import { DestinationHostPolicy } from '../destinations/destination-host-policy';
import { RetryLaterError, WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookHttpClient, WebhookResponse } from './webhook-http.client';
import { verifyWebhookSignature } from './webhook-signature';
import { DeliveryWork, WebhooksRepository } from './webhooks.repository';

const NOW = new Date('2026-11-21T10:00:00Z');
const config = testConfig({
  DATABASE_URL: 'postgres://x/y',
  REDIS_URL: 'redis://x',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_BACKOFF_BASE_MS: '1000',
  WEBHOOK_BACKOFF_MAX_MS: '10000',
});
const encryption = new EncryptionService(config);
const SECRET = 'whsec_unit';

function setup(response: WebhookResponse, overrides: Partial<DeliveryWork> = {}, hostAllowed = true) {
  const work: DeliveryWork = {
    id: '7-app_1',
    status: 'pending',
    attempts: 0,
    event: {
      id: 7n,
      streamId: 'ms_1',
      destinationId: null,
      type: 'stream.status',
      status: 'active',
      reason: null,
      data: { from: 'connecting' },
      createdAt: NOW,
    },
    app: {
      id: 'app_1',
      webhookUrl: 'https://hooks.example.com/in',
      webhookSecretCipher: encryption.encrypt(SECRET, 'webhook-secret'),
    },
    ...overrides,
  };
  const mocks = {
    webhooks: strictFake<WebhooksRepository>('webhooks', {
      findWork: jest.fn(async () => work),
      recordAttempt: jest.fn(async () => true),
      fail: jest.fn(async () => undefined),
    }),
    http: strictFake<WebhookHttpClient>('http', { post: jest.fn(async () => response) }),
    hostPolicy: strictFake<DestinationHostPolicy>('hostPolicy', {
      assertAllowed: jest.fn(async () => {
        if (!hostAllowed) throw new InvalidInputError('webhookUrl: host "10.0.0.1" is a loopback, private or link-local address');
      }),
    }),
  };
  const clock = strictFake<Clock>('clock', { now: () => NOW });
  const random = strictFake<Random>('random', { unit: () => 0.5 });
  const sut = new WebhookDeliveryService(config, mocks.webhooks, mocks.http, mocks.hostPolicy, encryption, clock, random);
  return { sut, mocks };
}

const ok: WebhookResponse = { status: 204, retryAfter: null, error: null };

describe('WebhookDeliveryService.deliver', () => {
  it('POSTs the event signed with the decrypted secret and records the success', async () => {
    const { sut, mocks } = setup(ok);
    expect(await sut.deliver('7-app_1', 0)).toBe('delivered');
    const [url, body, headers, timeout] = (mocks.http.post as jest.Mock).mock.calls[0];
    expect(url).toBe('https://hooks.example.com/in');
    expect(JSON.parse(body)).toEqual({
      id: '7',
      type: 'stream.status',
      streamId: 'ms_1',
      destinationId: null,
      status: 'active',
      reason: null,
      data: { from: 'connecting' },
      createdAt: NOW.toISOString(),
    });
    expect(headers['x-restream-event-id']).toBe('7');
    expect(verifyWebhookSignature(headers['x-restream-signature'], body, SECRET, NOW.getTime() / 1000)).toEqual({ valid: true });
    expect(timeout).toBe(5000);
    expect(mocks.webhooks.recordAttempt).toHaveBeenCalledWith('7-app_1', 'delivered', { statusCode: 204, error: null, at: NOW });
  });

  it('throws RetryLaterError with the backoff delay on a transient failure, honouring Retry-After', async () => {
    const { sut, mocks } = setup({ status: 503, retryAfter: null, error: null });
    const error = await sut.deliver('7-app_1', 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error).toMatchObject({ delayMs: 1500, message: 'webhook delivery failed (HTTP 503); retrying in 1500 ms' });
    expect(mocks.webhooks.recordAttempt).toHaveBeenCalledWith('7-app_1', 'pending', {
      statusCode: 503,
      error: 'HTTP 503',
      at: NOW,
    });
    const limited = setup({ status: 429, retryAfter: '7', error: null });
    await expect(limited.sut.deliver('7-app_1', 0)).rejects.toMatchObject({ delayMs: 7000 });
    const down = setup({ status: null, retryAfter: null, error: 'fetch failed: connect ECONNREFUSED' });
    await expect(down.sut.deliver('7-app_1', 0)).rejects.toMatchObject({ delayMs: 750 });
  });

  it('gives up at the last attempt and fails at once on a permanent answer', async () => {
    const last = setup({ status: 500, retryAfter: null, error: null });
    expect(await last.sut.deliver('7-app_1', 2)).toBe('failed');
    expect(last.mocks.webhooks.recordAttempt).toHaveBeenCalledWith('7-app_1', 'failed', {
      statusCode: 500,
      error: 'gave up after 3 attempts: HTTP 500',
      at: NOW,
    });
    const gone = setup({ status: 410, retryAfter: null, error: null });
    expect(await gone.sut.deliver('7-app_1', 0)).toBe('failed');
    expect(gone.mocks.webhooks.recordAttempt).toHaveBeenCalledWith('7-app_1', 'failed', {
      statusCode: 410,
      error: 'HTTP 410',
      at: NOW,
    });
  });

  it('does nothing for a delivery already settled, and fails without sending when the host is refused', async () => {
    const settled = setup(ok, { status: 'delivered' });
    expect(await settled.sut.deliver('7-app_1', 0)).toBe('nothing to do');
    expect(settled.mocks.http.post).not.toHaveBeenCalled();
    const refused = setup(ok, {}, false);
    expect(await refused.sut.deliver('7-app_1', 0)).toBe('failed');
    expect(refused.mocks.http.post).not.toHaveBeenCalled();
    expect(refused.mocks.webhooks.fail).toHaveBeenCalledWith('7-app_1', expect.stringContaining('private'));
  });
});
