import { parseRtmpUrl } from './rtmp-url';

describe('parseRtmpUrl', () => {
  it('splits application and stream key the way publishers do', () => {
    expect(parseRtmpUrl('rtmp://a.rtmp.youtube.com/live2/abcd-efgh')).toEqual({
      host: 'a.rtmp.youtube.com',
      port: 1935,
      app: 'live2',
      streamName: 'abcd-efgh',
      tcUrl: 'rtmp://a.rtmp.youtube.com:1935/live2',
      secure: false,
    });
    expect(parseRtmpUrl('rtmp://127.0.0.1:19350/ingest/user/42?token=x')).toMatchObject({
      port: 19350,
      app: 'ingest',
      streamName: 'user/42?token=x',
    });
  });

  it('refuses URLs it cannot publish to', () => {
    expect(() => parseRtmpUrl('http://h/app/key')).toThrow(/rtmp:\/\/ or rtmps:\/\//);
    expect(() => parseRtmpUrl('rtmp://h/app')).toThrow(/needs \/<app>\/<stream key>/);
  });

  it('reads rtmps:// with its default port 443 and splits destinations as FFmpeg does', () => {
    expect(parseRtmpUrl('rtmps://live.cloudflare.com/live/KEY')).toMatchObject({
      port: 443,
      secure: true,
      app: 'live',
      streamName: 'KEY',
      tcUrl: 'rtmps://live.cloudflare.com:443/live',
    });
    expect(parseRtmpUrl('rtmp://h:1936/app/inst/key?x=1', 'ffmpeg')).toMatchObject({ app: 'app/inst', streamName: 'key?x=1' });
    expect(parseRtmpUrl('rtmp://h/app/inst/key?x=1')).toMatchObject({ app: 'app', streamName: 'inst/key?x=1' });
  });
});
