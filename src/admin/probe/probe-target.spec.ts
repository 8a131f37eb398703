import { InvalidInputError } from '../../common/errors';
import { probeTargetOf } from './probe-target';

describe('probeTargetOf', () => {
  it.each([
    ['rtmp://a.rtmp.youtube.com/live2', 'rtmp', 'a.rtmp.youtube.com', 1935, 'rtmp://a.rtmp.youtube.com/live2'],
    ['rtmps://a.rtmps.youtube.com:443/live2', 'rtmps', 'a.rtmps.youtube.com', 443, 'rtmps://a.rtmps.youtube.com:443/live2'],
    ['rtmps://live.example.com/app', 'rtmps', 'live.example.com', 443, 'rtmps://live.example.com/app'],
    ['rtmp://[::1]:1936/live', 'rtmp', '::1', 1936, 'rtmp://[::1]:1936/live'],
    ['rtmp://live.twitch.tv/app/live_123_secretkey?x=1', 'rtmp', 'live.twitch.tv', 1935, 'rtmp://live.twitch.tv/app/****tkey'],
  ])('%s', (url, protocol, host, port, displayUrl) => {
    expect(probeTargetOf(url)).toEqual({ protocol, host, port, displayUrl });
  });

  it.each([
    ['http://example.com/live', 'only rtmp:// and rtmps://'],
    ['not a url', 'not a valid URL'],
    ['rtmp://user:pw@example.com/live', 'credentials'],
  ])('refuses %s clearly', (url, message) => {
    expect(() => probeTargetOf(url)).toThrow(InvalidInputError);
    expect(() => probeTargetOf(url)).toThrow(message);
  });
});
