import { planWebhookSecret } from './webhook-secret-plan';

describe('planWebhookSecret', () => {
  const none = { webhookUrl: null, hasSecret: false };
  const hooked = { webhookUrl: 'https://hooks.example.com/a', hasSecret: true };

  it('generates a secret for a first URL that comes without one, and takes a typed one as it is', () => {
    expect(planWebhookSecret(none, { webhookUrl: 'https://hooks.example.com/a' })).toEqual({ kind: 'generate' });
    expect(planWebhookSecret(none, { webhookUrl: 'https://hooks.example.com/a', webhookSecret: 'typed-secret-0123456' })).toEqual(
      { kind: 'set', secret: 'typed-secret-0123456' },
    );
  });

  it('keeps the secret when only the URL moves, and replaces it when a new one is typed', () => {
    expect(planWebhookSecret(hooked, { webhookUrl: 'https://hooks.example.com/b' })).toEqual({ kind: 'keep' });
    expect(planWebhookSecret(hooked, { webhookSecret: 'another-secret-98765' })).toEqual({
      kind: 'set',
      secret: 'another-secret-98765',
    });
    expect(planWebhookSecret(hooked, {})).toEqual({ kind: 'keep' });
  });

  it('forgets the secret with the URL, and refuses a secret for an app without a URL', () => {
    expect(planWebhookSecret(hooked, { webhookUrl: null })).toEqual({ kind: 'clear' });
    expect(planWebhookSecret(none, {})).toEqual({ kind: 'keep' });
    expect(planWebhookSecret(none, { webhookSecret: 'typed-secret-0123456' })).toBeNull();
    expect(planWebhookSecret(hooked, { webhookUrl: null, webhookSecret: 'typed-secret-0123456' })).toBeNull();
  });
});
