import { DEFAULT_SLATE_TEXT, relayStreamPlanSchema } from '../../relay/protocol/relay-protocol.schemas';
import { relayStreamPlan, streamStatusFromRelay } from './relay-stream-plan';

describe('relayStreamPlan', () => {
  const row = {
    id: 'ms_1',
    userId: 'u@x',
    quality: '1080p',
    destinationsVersion: 3,
    reconnectWindowSeconds: 90,
    slateText: 'Back soon',
    slateImageUrl: 'https://cdn.example.com/slate.png',
    record: true,
  };
  const destinations = [{ id: 'dst_1', name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2/key', retry: 0 }];

  it("carries the stream's window, slate and destinations in the protocol's shape", () => {
    const plan = relayStreamPlan(row, destinations);
    expect(relayStreamPlanSchema.parse(plan)).toEqual(plan);
    expect(plan).toEqual({
      streamId: 'ms_1',
      userId: 'u@x',
      quality: '1080p',
      reconnectWindowSeconds: 90,
      slate: { text: 'Back soon', imageUrl: 'https://cdn.example.com/slate.png' },
      destinationsVersion: 3,
      destinations,
      record: true,
    });
  });

  it('gives rows from before slates the default caption, and an odd quality the default one', () => {
    const plan = relayStreamPlan({ ...row, quality: '4k', slateText: null, slateImageUrl: null }, []);
    expect(plan).toMatchObject({ quality: '720p', slate: { text: DEFAULT_SLATE_TEXT, imageUrl: null } });
  });
});

describe('streamStatusFromRelay', () => {
  it('takes live states, reconnecting included, as reported', () => {
    expect(streamStatusFromRelay('active', 'connecting', 60)).toBe('active');
    expect(streamStatusFromRelay('reconnecting', 'active', 60)).toBe('reconnecting');
    expect(streamStatusFromRelay('active', 'reconnecting', 60)).toBe('active');
  });

  it('ends the stream when the relay held the slate for the window, or when we asked for the stop', () => {
    expect(streamStatusFromRelay('stopped', 'reconnecting', 60)).toBe('stopped');
    expect(streamStatusFromRelay('stopped', 'stopping', 0)).toBe('stopped');
    expect(streamStatusFromRelay('stopped', 'stopping', 60)).toBe('stopped');
  });

  it('ends the stream when the relay stopped carrying it for good, whatever the window', () => {
    expect(streamStatusFromRelay('stopped', 'active', 0, 'publisher_left')).toBe('stopped');
    expect(streamStatusFromRelay('stopped', 'error', 60, 'window_expired')).toBe('stopped');
    expect(streamStatusFromRelay('stopped', 'active', 60, 'stop_requested')).toBe('stopped');
  });

  it('leaves a stream whose relay is going away waiting for the glasses', () => {
    expect(streamStatusFromRelay('stopped', 'active', 0, 'relay_shutdown')).toBe('reconnecting');
    expect(streamStatusFromRelay('stopped', 'reconnecting', 60, 'relay_shutdown')).toBe('reconnecting');
    expect(streamStatusFromRelay('stopped', 'stopping', 60, 'relay_shutdown')).toBe('stopped');
  });

  it("takes an encoder fault as the stream's error, and its recovery as reported", () => {
    expect(streamStatusFromRelay('error', 'active', 60)).toBe('error');
    expect(streamStatusFromRelay('active', 'error', 60)).toBe('active');
  });

  it('reads a "stopped" without a cause (an older relay) as a publisher that may come back', () => {
    expect(streamStatusFromRelay('stopped', 'active', 0)).toBe('reconnecting');
    expect(streamStatusFromRelay('stopped', 'reconnecting', 0)).toBe('reconnecting');
    // A relay that shut down or an older relay: no slate was shown, the glasses may come back elsewhere.
    expect(streamStatusFromRelay('stopped', 'active', 60)).toBe('reconnecting');
  });
});
