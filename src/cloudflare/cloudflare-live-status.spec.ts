import { parseCloudflareLiveStatus, streamStatusForCloudflareState } from './cloudflare-live-status';

describe('parseCloudflareLiveStatus', () => {
  it.each([
    [null, null, null],
    ['connected', 'connected', null],
    [{ current: { state: 'connected', reason: 'connected' }, history: [] }, 'connected', 'connected'],
    [
      JSON.stringify({ current: { ingestProtocol: 'rtmp', reason: 'client_disconnect' } }),
      'client_disconnect',
      'client_disconnect',
    ],
    [{ history: [] }, null, null],
    ['{not json', '{not json', null],
  ])('%j → %s', (raw, state, reason) => {
    expect(parseCloudflareLiveStatus(raw)).toEqual({ state, reason });
  });
});

describe('streamStatusForCloudflareState', () => {
  it('becomes active when Cloudflare says the glasses are connected', () => {
    expect(streamStatusForCloudflareState('connected', 'connecting')).toBe('active');
    expect(streamStatusForCloudflareState('reconnected', 'reconnecting')).toBe('active');
    expect(streamStatusForCloudflareState('connected', 'active')).toBeNull();
  });

  it('marks an active stream reconnecting when the glasses drop, and leaves a waiting one alone', () => {
    expect(streamStatusForCloudflareState('client_disconnect', 'active')).toBe('reconnecting');
    expect(streamStatusForCloudflareState('reconnecting', 'active')).toBe('reconnecting');
    expect(streamStatusForCloudflareState('client_disconnect', 'connecting')).toBeNull();
    expect(streamStatusForCloudflareState(null, 'active')).toBeNull();
  });
});
