// Type-checked (not run) against the installed package as CommonJS sees it.
import { type ManagedStream, NotFoundError, RestreamClient, type StreamEvent } from '@glasses-restream/client';

const client = new RestreamClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'rsk_example' });
export const stream: Promise<ManagedStream> = client.getStream('ms_1');
export const onEvent = (event: StreamEvent): string => `${event.type} ${event.status ?? ''}`;
export const isMissing = (error: unknown): boolean => error instanceof NotFoundError && error.status === 404;
// @ts-expect-error stream ids are strings: the types are real, not `any`
void client.getStream(42);
