import { InvalidInputError } from '../common/errors';
import { defaultDestinationName, detectPlatform, fullDestinationUrl, parseDestination } from './destination-url';

describe('parseDestination', () => {
  it('takes the key from the last path segment', () => {
    expect(parseDestination({ url: 'rtmp://a.rtmp.youtube.com/live2/abcd-1234' })).toEqual({
      baseUrl: 'rtmp://a.rtmp.youtube.com/live2',
      streamKey: 'abcd-1234',
      host: 'a.rtmp.youtube.com',
      protocol: 'rtmp',
    });
  });

  it('keeps a query string as part of the key (Twitch bandwidth tests)', () => {
    const parsed = parseDestination({ url: 'rtmp://live.twitch.tv/app/live_1_abc?bandwidthtest=true' });
    expect(parsed.streamKey).toBe('live_1_abc?bandwidthtest=true');
    expect(fullDestinationUrl(parsed.baseUrl, parsed.streamKey)).toBe('rtmp://live.twitch.tv/app/live_1_abc?bandwidthtest=true');
  });

  it('takes a key given apart and keeps ports and nested apps', () => {
    expect(parseDestination({ url: 'rtmps://a.rtmps.youtube.com:443/live2/', streamKey: ' k ' })).toMatchObject({
      baseUrl: 'rtmps://a.rtmps.youtube.com:443/live2',
      streamKey: 'k',
      protocol: 'rtmps',
    });
    expect(parseDestination({ url: 'rtmp://h.example.com:1936/a/b/c' }).baseUrl).toBe('rtmp://h.example.com:1936/a/b');
  });

  it.each([
    ['http://h.example.com/a/k', undefined, 'only rtmp:// and rtmps://'],
    ['rtmp://h.example.com/app', undefined, 'has no stream key'],
    ['rtmp://h.example.com', 'k', 'needs an application path'],
    ['rtmp://h.example.com/app?x=1', 'k', 'must not have a query string'],
    ['rtmp://h.example.com/app/k#frag', undefined, 'fragment'],
    ['rtmp://h.example.com/app', 'has space', 'spaces or control characters'],
    ['nonsense', undefined, 'not a valid URL'],
  ])('refuses %s (key %s)', (url, streamKey, message) => {
    expect(() => parseDestination({ url, streamKey }, 'restreamDestinations.3.url')).toThrow(InvalidInputError);
    try {
      parseDestination({ url, streamKey }, 'restreamDestinations.3.url');
    } catch (error) {
      const issue = (error as InvalidInputError).issues[0];
      expect(issue.message).toContain(message);
      expect(issue.path).toMatch(/^restreamDestinations\.3\.(url|streamKey)$/);
      expect((error as InvalidInputError).code).toBe('invalid_url');
    }
  });
});

describe('platforms', () => {
  it.each([
    ['a.rtmp.youtube.com', 'youtube', 'YouTube'],
    ['live.twitch.tv', 'twitch', 'Twitch'],
    ['ingest.global-contribute.live-video.net', 'twitch', 'Twitch'],
    ['notyoutube.com', 'custom', 'notyoutube.com'],
  ])('%s is %s', (host, platform, name) => {
    expect(detectPlatform(host)).toBe(platform);
    expect(defaultDestinationName(host)).toBe(name);
  });
});
