import {
  appAttachedEvent,
  appDetachedEvent,
  destinationRemovedEvent,
  destinationStatusEvent,
  streamPlaybackEvent,
  streamStatusEvent,
} from './stream-events';

describe('stream event constructors', () => {
  it('build a stream status event, with data only when given', () => {
    expect(streamStatusEvent('ms_1', 'connecting', 'waiting')).toStrictEqual({
      streamId: 'ms_1',
      type: 'stream.status',
      status: 'connecting',
      reason: 'waiting',
    });
    expect(streamStatusEvent('ms_1', 'initializing', null, { strategy: 'relay' })).toStrictEqual({
      streamId: 'ms_1',
      type: 'stream.status',
      status: 'initializing',
      reason: null,
      data: { strategy: 'relay' },
    });
  });

  it('build playback and attachment events', () => {
    expect(streamPlaybackEvent('ms_1', { hlsUrl: 'h', dashUrl: null })).toStrictEqual({
      streamId: 'ms_1',
      type: 'stream.playback',
      status: 'hls_ready',
      data: { hlsUrl: 'h', dashUrl: null },
    });
    expect(appAttachedEvent('ms_1', 'app_1')).toStrictEqual({
      streamId: 'ms_1',
      type: 'stream.app_attached',
      data: { appId: 'app_1' },
    });
    expect(appDetachedEvent('ms_1', 'app_1')).toStrictEqual({
      streamId: 'ms_1',
      type: 'stream.app_detached',
      data: { appId: 'app_1' },
    });
  });

  it('build destination events for the owning app only', () => {
    expect(destinationStatusEvent('ms_1', { id: 'd_1', appId: 'app_1' }, 'retrying', 'refused')).toStrictEqual({
      streamId: 'ms_1',
      destinationId: 'd_1',
      appId: 'app_1',
      type: 'destination.status',
      status: 'retrying',
      reason: 'refused',
    });
    expect(destinationStatusEvent('ms_1', { id: 'd_1', appId: 'app_1' }, 'idle', 'enabled', { enabled: true })).toMatchObject({
      data: { enabled: true },
    });
    expect(destinationRemovedEvent('ms_1', 'app_1', { id: 'd_1', name: 'YouTube' })).toStrictEqual({
      streamId: 'ms_1',
      destinationId: 'd_1',
      appId: 'app_1',
      type: 'destination.removed',
      data: { name: 'YouTube' },
    });
  });
});
