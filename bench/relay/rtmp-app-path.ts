// How FFmpeg must address a stream on nginx-rtmp when the stream name has slashes: the glasses'
// replay publishes to live/{user}/{stream}. FFmpeg would take `live/{user}` as the application, so
// application and stream name are spelled out. (The relay's own copy went with its forwarders.)

const LOCAL_RTMP_URL = /^rtmp:\/\/[^/?#]+\/([^/?#]+)\/([^?#]+(?:\?[^#]*)?)$/i;

/** Options that pin application and stream name; they go before the output URL they apply to. */
export function rtmpAppPathOptions(url: string): string[] {
  const match = LOCAL_RTMP_URL.exec(url);
  if (!match || match[2].split('?')[0].split('/').includes('')) {
    // Stream names may be secrets: do not echo the URL.
    throw new RangeError('expected rtmp://host[:port]/<application>/<stream name>');
  }
  return ['-rtmp_app', match[1], '-rtmp_playpath', match[2]];
}
