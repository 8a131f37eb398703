export { RestreamClient } from './client.js';
export type {
  ListStreamsQuery,
  ManagedStream,
  Recording,
  RestreamClientOptions,
  SavedDestination,
  StreamDestination,
} from './client.js';
export {
  AlreadyStreamingError,
  ApiError,
  errorFromResponse,
  InvalidUrlError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  RestreamError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';
export type { FieldIssue, RestreamErrorInit } from './errors.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { ConnectionState, StreamEventsOptions, StreamEventsSubscription } from './stream-events.js';
export type { FetchFunction } from './transport.js';
export { isIngestHealthEvent } from './typed-events.js';
export type { IngestHealth, IngestHealthEvent } from './typed-events.js';
export type * from './generated/api.js';
