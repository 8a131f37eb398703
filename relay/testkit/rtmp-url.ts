/** Pure: splits an RTMP URL the way publishers do: the first path segment is the application, the rest the stream name. */

export interface RtmpTarget {
  host: string;
  port: number;
  app: string;
  /** Stream name (key), including any query string, which nginx-rtmp passes to on_publish. */
  streamName: string;
  tcUrl: string;
}

export function parseRtmpUrl(url: string): RtmpTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'rtmp:') throw new RangeError(`only plain rtmp:// is supported here, got ${parsed.protocol}`);
  const [app, ...rest] = parsed.pathname.replace(/^\/+/, '').split('/');
  const streamName = rest.join('/') + parsed.search;
  if (!app || !rest.join('/')) throw new RangeError(`RTMP URL needs /<app>/<stream key>: ${url}`);
  const port = parsed.port ? Number(parsed.port) : 1935;
  return { host: parsed.hostname, port, app, streamName, tcUrl: `rtmp://${parsed.hostname}:${port}/${app}` };
}
