/**
 * Pure: how FFmpeg must address a stream on a local nginx-rtmp (the benchmark's reference command and replays).
 *
 * FFmpeg's RTMP client guesses where the application ends: for `rtmp://h/live/user/stream` it connects
 * to application `live/user` and plays `stream`, which nginx-rtmp does not know. Our convention is the
 * other one (first segment = application, the rest = stream name), so local URLs get `-rtmp_app` and
 * `-rtmp_playpath` spelled out. Destination URLs are left to FFmpeg: its guess (last segment = key)
 * is also the platforms' convention.
 */

export interface RtmpAppPath {
  app: string;
  /** Stream name, with any query string (nginx-rtmp hands it to its callbacks). */
  playpath: string;
}

const LOCAL_RTMP_URL = /^rtmp:\/\/[^/?#]+\/([^/?#]+)\/([^?#]+(?:\?[^#]*)?)$/i;

export function splitLocalRtmpUrl(url: string): RtmpAppPath {
  const match = LOCAL_RTMP_URL.exec(url);
  if (!match || match[2].split('?')[0].split('/').includes('')) {
    // Stream names may be secrets: do not echo the URL.
    throw new RangeError('expected rtmp://host[:port]/<application>/<stream name>');
  }
  return { app: match[1], playpath: match[2] };
}

/** Options that pin application and stream name; they go before the input or output URL they apply to. */
export function rtmpAppPathOptions(url: string): string[] {
  const { app, playpath } = splitLocalRtmpUrl(url);
  return ['-rtmp_app', app, '-rtmp_playpath', playpath];
}
