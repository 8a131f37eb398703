import { chooseStrategy } from './choose-strategy';

describe('chooseStrategy', () => {
  it('prefers Cloudflare for auto when it is available, else the relay', () => {
    expect(chooseStrategy({ requested: 'auto', available: new Set(['relay', 'cloudflare']) }).strategy).toBe('cloudflare');
    expect(chooseStrategy({ requested: 'auto', available: new Set(['relay']) })).toEqual({
      strategy: 'relay',
      reason: 'auto: Cloudflare is not configured or not healthy',
    });
  });

  it('honours an available explicit choice and falls back to the relay with a reason', () => {
    expect(chooseStrategy({ requested: 'relay', available: new Set(['relay']) })).toEqual({ strategy: 'relay', reason: null });
    expect(chooseStrategy({ requested: 'hybrid', available: new Set(['relay']) })).toEqual({
      strategy: 'relay',
      reason: 'hybrid requested but not available; fell back to relay',
    });
  });
});
