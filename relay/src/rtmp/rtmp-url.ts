/**
 * Pure: how an RTMP(S) URL splits into the connect command's application and the stream name.
 *
 * - `first-segment` (nginx-rtmp's reading, used for our own ingest `live/{user}/{stream}`): the first
 *   path segment is the application, the rest the stream name.
 * - `ffmpeg` (used for destinations, so a URL that worked with FFmpeg's publisher works here): with two
 *   or more segments after the application, the application is `app/instance` and the last segment
 *   the key, as FFmpeg's rtmpproto splits it.
 * The query string stays on the stream name (e.g. Twitch's `?bandwidthtest=true`).
 */

export interface RtmpTarget {
  host: string;
  port: number;
  secure: boolean;
  app: string;
  /** Stream name (key), including any query string. */
  streamName: string;
  tcUrl: string;
}

export type RtmpPathSplit = 'first-segment' | 'ffmpeg';

const DEFAULT_PORT = { 'rtmp:': 1935, 'rtmps:': 443 } as const;

export function parseRtmpUrl(url: string, split: RtmpPathSplit = 'first-segment'): RtmpTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'rtmp:' && parsed.protocol !== 'rtmps:') {
    throw new RangeError(`an RTMP URL starts with rtmp:// or rtmps://, not ${parsed.protocol}`);
  }
  const segments = parsed.pathname.replace(/^\/+/, '').split('/');
  const appSegments = split === 'ffmpeg' && segments.length > 2 ? 2 : 1;
  const app = segments.slice(0, appSegments).join('/');
  const name = segments.slice(appSegments).join('/');
  if (!app || !name) throw new RangeError('an RTMP URL needs /<app>/<stream key>');
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT[parsed.protocol];
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    secure: parsed.protocol === 'rtmps:',
    app: decodeURIComponent(app),
    streamName: decodeURIComponent(name) + parsed.search,
    tcUrl: `${parsed.protocol}//${parsed.host.includes(':') ? parsed.host : `${parsed.host}:${port}`}/${app}`,
  };
}
