import { isIP } from 'node:net';
import { InvalidInputError } from '../../common/errors';
import { maskSecret } from '../../common/masking';

export interface ProbeTarget {
  protocol: 'rtmp' | 'rtmps';
  /** As written in the URL (brackets removed): TLS checks the certificate against it. */
  host: string;
  port: number;
  /** The URL as it may be shown: a trailing path segment that may be a stream key is masked. */
  displayUrl: string;
}

/**
 * Pure: where to knock for an ingest URL. The handshake happens before the app path or key
 * matter, so only scheme, host and port are used; a key pasted into the URL is never echoed.
 */
export function probeTargetOf(ingestUrl: string, field = 'ingestUrl'): ProbeTarget {
  const fail = (message: string): never => {
    throw new InvalidInputError(`${field}: ${message}`, [{ path: field, message }]);
  };
  let url: URL;
  try {
    url = new URL(ingestUrl.trim());
  } catch {
    return fail('is not a valid URL (expected rtmp://host/app or rtmps://host/app)');
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'rtmp' && protocol !== 'rtmps')
    return fail(`only rtmp:// and rtmps:// URLs can be tested, not ${url.protocol}//`);
  if (!url.hostname) return fail('has no host');
  if (url.username || url.password) return fail('must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : protocol === 'rtmps' ? 443 : 1935;
  const segments = url.pathname.split('/').filter(Boolean);
  const shown = segments.length >= 2 ? [...segments.slice(0, -1), maskSecret(segments[segments.length - 1])] : segments;
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return {
    protocol,
    host,
    port,
    displayUrl: `${protocol}://${hostPart}${url.port ? `:${url.port}` : ''}${shown.length ? `/${shown.join('/')}` : ''}`,
  };
}
