import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"42","type":"stream.status"}';

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 of the secret, Stripe-style', () => {
    const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, BODY, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature within the tolerance and refuses tampering, other secrets and old timestamps', () => {
    const header = signWebhook(SECRET, BODY, 1700000000);
    expect(verifyWebhookSignature(header, BODY, SECRET, 1700000100)).toEqual({ valid: true });
    expect(verifyWebhookSignature(header, `${BODY} `, SECRET, 1700000100)).toEqual({
      valid: false,
      reason: 'signature mismatch',
    });
    expect(verifyWebhookSignature(header, BODY, 'whsec_other', 1700000100)).toEqual({
      valid: false,
      reason: 'signature mismatch',
    });
    expect(verifyWebhookSignature(header, BODY, SECRET, 1700000301)).toEqual({
      valid: false,
      reason: 'timestamp outside the tolerance',
    });
  });

  it('accepts any of several v1 signatures (secret rotation) and refuses malformed headers', () => {
    const good = signWebhook(SECRET, BODY, 1700000000).split(',')[1];
    expect(verifyWebhookSignature(`t=1700000000,v1=${'ab'.repeat(32)},${good}`, BODY, SECRET, 1700000000).valid).toBe(true);
    for (const header of [undefined, '', 't=abc,v1=00', 't=1700000000']) {
      expect(verifyWebhookSignature(header, BODY, SECRET, 1700000000)).toEqual({
        valid: false,
        reason: 'malformed signature header',
      });
    }
  });
});
