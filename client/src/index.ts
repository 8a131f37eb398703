export { RestreamClient } from './client';
export type { ListStreamsQuery, ManagedStream, RestreamClientOptions, SavedDestination, StreamDestination } from './client';
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
} from './errors';
export type { FieldIssue, RestreamErrorInit } from './errors';
export { backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export type { ConnectionState, StreamEventsOptions, StreamEventsSubscription } from './stream-events';
export type { FetchFunction } from './transport';
export type * from './generated/api';
