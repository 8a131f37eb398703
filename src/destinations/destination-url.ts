import { InvalidUrlError } from '../common/errors';

export interface ParsedDestination {
  /** Ingest URL without the key, e.g. rtmp://a.rtmp.youtube.com/live2 */
  baseUrl: string;
  streamKey: string;
  host: string;
  protocol: 'rtmp' | 'rtmps';
}

export type DestinationPlatformName = 'youtube' | 'twitch' | 'custom';

const MAX_URL_LENGTH = 2048;
const MAX_KEY_LENGTH = 512;
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Splits a destination into ingest URL and stream key. The key is either given apart or is the
 * last path segment (`rtmp://a.rtmp.youtube.com/live2/KEY`), query string included (Twitch's
 * `?bandwidthtest=true`). `field` names the request field in error messages.
 */
export function parseDestination(input: { url: string; streamKey?: string }, field = 'url'): ParsedDestination {
  const fail = (message: string, path = field): never => {
    throw new InvalidUrlError(`${path}: ${message}`, [{ path, message }]);
  };
  const raw = input.url.trim();
  if (raw.length > MAX_URL_LENGTH) fail(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('is not a valid URL (expected rtmp://host/app/KEY or rtmps://host/app/KEY)');
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'rtmp' && protocol !== 'rtmps')
    return fail(`only rtmp:// and rtmps:// URLs are accepted, not ${url.protocol}//`);
  if (!url.hostname) fail('has no host');
  if (url.username || url.password) fail('must not contain credentials; put the stream key in the path or in streamKey');
  if (url.hash) fail('must not contain a #fragment');

  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  const origin = `${protocol}://${url.host}`;
  let streamKey: string;
  let pathSegments: string[];
  const keyField = field.replace(/url$/, 'streamKey');
  if (input.streamKey !== undefined) {
    streamKey = input.streamKey.trim();
    pathSegments = segments;
    if (url.search) fail('must not have a query string when streamKey is given apart');
  } else {
    if (segments.length < 2) {
      fail('has no stream key: give it as the last path segment (rtmp://host/app/KEY) or in streamKey');
    }
    streamKey = decodeURIComponent(segments[segments.length - 1]) + url.search;
    pathSegments = segments.slice(0, -1);
  }
  if (pathSegments.length === 0) fail('needs an application path, e.g. rtmp://host/live2');
  if (streamKey.length === 0) fail('must not be empty', keyField);
  if (streamKey.length > MAX_KEY_LENGTH) fail(`must be at most ${MAX_KEY_LENGTH} characters`, keyField);
  if (!KEY_PATTERN.test(streamKey)) fail('must not contain spaces or control characters', keyField);

  return {
    baseUrl: `${origin}/${pathSegments.join('/')}`,
    streamKey,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    protocol,
  };
}

export function fullDestinationUrl(baseUrl: string, streamKey: string): string {
  return `${baseUrl}/${streamKey}`;
}

export function detectPlatform(host: string): DestinationPlatformName {
  const name = host.toLowerCase();
  if (name === 'youtube.com' || name.endsWith('.youtube.com')) return 'youtube';
  if (name.endsWith('.twitch.tv') || name.endsWith('.live-video.net')) return 'twitch';
  return 'custom';
}

/** A readable default name when the caller gives none. */
export function defaultDestinationName(host: string): string {
  const platform = detectPlatform(host);
  if (platform === 'youtube') return 'YouTube';
  if (platform === 'twitch') return 'Twitch';
  return host;
}
