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
  it('becomes active when Cloudflare says the glasses are connected and their live video flows', () => {
    expect(streamStatusForCloudflareState('connected', 'connecting', true)).toBe('active');
    expect(streamStatusForCloudflareState('reconnected', 'reconnecting', true)).toBe('active');
    expect(streamStatusForCloudflareState('connected', 'active', true)).toBeNull();
  });

  it('keeps waiting while the glasses are connected without video', () => {
    expect(streamStatusForCloudflareState('connected', 'connecting', false)).toBeNull();
    expect(streamStatusForCloudflareState('connected', 'reconnecting', false)).toBeNull();
  });

  it('marks an active stream reconnecting when the glasses drop, and leaves a waiting one alone', () => {
    expect(streamStatusForCloudflareState('client_disconnect', 'active', false)).toBe('reconnecting');
    expect(streamStatusForCloudflareState('reconnecting', 'active', false)).toBe('reconnecting');
    expect(streamStatusForCloudflareState('client_disconnect', 'connecting', false)).toBeNull();
    expect(streamStatusForCloudflareState(null, 'active', true)).toBeNull();
  });
});
