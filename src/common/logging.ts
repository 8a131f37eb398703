import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/config.schema';

/**
 * Paths pino removes from every log line. Stream keys, tokens and full destination URLs
 * (which embed keys) must never be logged; services log masked forms instead.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-relay-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.query.key',
  '*.streamKey',
  '*.key',
  '*.publishKey',
  '*.apiKey',
  '*.token',
  '*.fullUrl',
  '*.ingestUrl',
  '*.destinations[*].url',
];

/** Request paths can carry secrets (a publish key in a query string); log them without the query. */
function pathWithoutQuery(request: IncomingMessage): string {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : `${url.slice(0, queryStart)}?…`;
}

export function loggerParams(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  const options: Options = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: config.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
    serializers: {
      req: (request: IncomingMessage & { id?: unknown }) => ({
        id: request.id,
        method: request.method,
        url: pathWithoutQuery(request),
      }),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
