import { chooseStrategy, fallbackTarget, StrategyChoiceInput } from './choose-strategy';

const healthy = { configured: true, healthy: true };
const input = (overrides: Partial<StrategyChoiceInput>): StrategyChoiceInput => ({
  requested: 'auto',
  cloudflare: healthy,
  relayAvailable: true,
  recentCloudflareError: null,
  ...overrides,
});

describe('chooseStrategy', () => {
  it('prefers Cloudflare for auto when it is configured and healthy', () => {
    expect(chooseStrategy(input({}))).toEqual({ strategy: 'cloudflare', reason: 'auto: Cloudflare is available' });
  });

  it('falls back to the relay for auto when Cloudflare is not configured or its circuit is open', () => {
    expect(chooseStrategy(input({ cloudflare: { configured: false, healthy: true } }))).toEqual({
      strategy: 'relay',
      reason: 'auto: Cloudflare is not configured',
    });
    expect(
      chooseStrategy(input({ cloudflare: { configured: true, healthy: false, unhealthyReason: 'create live input: 503' } })),
    ).toEqual({ strategy: 'relay', reason: 'auto: Cloudflare is unhealthy (create live input: 503)' });
  });

  it("sends a user whose glasses' stream Cloudflare rejected recently through the relay first (hybrid)", () => {
    expect(chooseStrategy(input({ recentCloudflareError: 'ERR_GOP_OUT_OF_RANGE' })).strategy).toBe('hybrid');
    expect(chooseStrategy(input({ recentCloudflareError: 'ERR_GOP_OUT_OF_RANGE', relayAvailable: false })).strategy).toBe(
      'relay',
    );
    expect(chooseStrategy(input({ recentCloudflareError: 'ERR_STORAGE_QUOTA_EXHAUSTED' })).strategy).toBe('relay');
  });

  it('honours an explicit choice when it can, and says why when it cannot', () => {
    expect(chooseStrategy(input({ requested: 'relay' }))).toEqual({ strategy: 'relay', reason: null });
    expect(chooseStrategy(input({ requested: 'cloudflare', recentCloudflareError: 'ERR_GOP_OUT_OF_RANGE' }))).toEqual({
      strategy: 'cloudflare',
      reason: null,
    });
    expect(chooseStrategy(input({ requested: 'hybrid' }))).toEqual({ strategy: 'hybrid', reason: null });
    expect(chooseStrategy(input({ requested: 'hybrid', relayAvailable: false }))).toEqual({
      strategy: 'relay',
      reason: 'hybrid requested but no relay is available; fell back to relay',
    });
    expect(chooseStrategy(input({ requested: 'cloudflare', cloudflare: { configured: false, healthy: true } }))).toEqual({
      strategy: 'relay',
      reason: 'cloudflare requested but Cloudflare is not configured; fell back to relay',
    });
  });
});

describe('fallbackTarget', () => {
  it('moves content errors to hybrid (the relay cleans the stream) and everything else to the relay', () => {
    expect(fallbackTarget('ERR_GOP_OUT_OF_RANGE', true)).toBe('hybrid');
    expect(fallbackTarget('ERR_NO_VIDEO', true)).toBe('hybrid');
    expect(fallbackTarget('ERR_GOP_OUT_OF_RANGE', false)).toBe('relay');
    expect(fallbackTarget('ERR_STORAGE_QUOTA_EXHAUSTED', true)).toBe('relay');
  });
});
