import { rtmpAppPathOptions, splitLocalRtmpUrl } from './rtmp-app-path';

describe('splitLocalRtmpUrl', () => {
  it('takes the first path segment as the application and the rest as the stream name', () => {
    expect(splitLocalRtmpUrl('rtmp://127.0.0.1:1935/live/user-7/stream-42')).toEqual({
      app: 'live',
      playpath: 'user-7/stream-42',
    });
    expect(splitLocalRtmpUrl('rtmp://127.0.0.1/clean/s1')).toEqual({ app: 'clean', playpath: 's1' });
  });

  it('keeps a query string with the stream name (nginx-rtmp passes it to on_publish)', () => {
    expect(splitLocalRtmpUrl('rtmp://h:1935/live/u/s?token=abc')).toEqual({ app: 'live', playpath: 'u/s?token=abc' });
  });

  it.each([
    'rtmp://h:1935/live',
    'rtmp://h:1935/live/',
    'rtmp://h:1935//live/s',
    'rtmp://h:1935/live//s',
    'rtmp://h:1935/live/u//s',
    'rtmp://h:1935/live/u/s/',
    'http://h/live/s',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => splitLocalRtmpUrl(url)).toThrow(RangeError);
  });

  it('does not echo the URL, whose stream name may be a secret', () => {
    expect(() => splitLocalRtmpUrl('rtmp://h/live//secret-key')).toThrow(
      /^expected rtmp:\/\/host\[:port\]\/<application>\/<stream name>$/,
    );
  });
});

describe('rtmpAppPathOptions', () => {
  it('spells out what FFmpeg would otherwise guess wrong (application "live/user")', () => {
    expect(rtmpAppPathOptions('rtmp://127.0.0.1:1935/live/user/stream')).toEqual([
      '-rtmp_app',
      'live',
      '-rtmp_playpath',
      'user/stream',
    ]);
  });
});
