import { z } from 'zod';
import {
  DEFAULT_SLATE_TEXT,
  destinationErrorSchema,
  ingestHealthSchema,
  RECONNECT_WINDOW_DEFAULT_SECONDS,
  RECONNECT_WINDOW_MAX_SECONDS,
  SLATE_TEXT_MAX,
  slateSchema,
} from '../../relay/protocol/relay-protocol.schemas';
import { createZodDto } from '../common/zod-dto';
import { userIdSchema } from '../stream-records/user-path-segment';

export const MAX_DESTINATIONS_PER_REQUEST = 10;
/** Per app and stream; Cloudflare allows 50 outputs per input across all apps. */
export const MAX_DESTINATIONS_PER_APP = 10;

export const restreamDestinationInputSchema = z.object({
  url: z.string().min(1).max(2048).describe('rtmp:// or rtmps:// ingest URL; the stream key may be its last path segment'),
  streamKey: z.string().min(1).max(512).optional().describe('The stream key, when it is not part of url'),
  name: z.string().trim().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
});

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const reconnectWindowSecondsSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(0, 'must be 0 (no slate) or more')
  .max(RECONNECT_WINDOW_MAX_SECONDS, `must be at most ${RECONNECT_WINDOW_MAX_SECONDS} seconds`)
  .describe(
    'Seconds the destinations keep receiving a slate while the glasses are disconnected; the stream ends ' +
      'when they do not come back in time. 0: no slate. Set when the stream starts; an app that joins does not change it.',
  );

export const slateInputSchema = z
  .object({
    text: z
      .string()
      .max(SLATE_TEXT_MAX, `must be at most ${SLATE_TEXT_MAX} characters`)
      .refine((text) => !CONTROL_CHARACTERS.test(text), 'must not contain control characters (line breaks, tabs, ...)')
      .optional()
      .describe(`Caption of the slate card; default "${DEFAULT_SLATE_TEXT}"`),
    imageUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .max(2048, 'must be at most 2048 characters')
      .optional()
      .describe('An image the slate shows; its host must be public'),
  })
  .describe('What the audience sees while the glasses are disconnected');

export const createManagedStreamSchema = z
  .object({
    userId: userIdSchema,
    quality: z.enum(['480p', '720p', '1080p']).default('720p'),
    enableWebRTC: z.boolean().default(false),
    strategy: z.enum(['auto', 'relay', 'cloudflare', 'hybrid']).default('auto'),
    durationLimit: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .optional()
      .describe('Seconds'),
    restreamDestinations: z.array(restreamDestinationInputSchema).max(MAX_DESTINATIONS_PER_REQUEST).default([]),
    savedDestinationIds: z.array(z.string().min(1).max(64)).max(MAX_DESTINATIONS_PER_REQUEST).default([]),
    reconnectWindowSeconds: reconnectWindowSecondsSchema
      .optional()
      .describe(
        `${reconnectWindowSecondsSchema.description ?? ''} Default: the app's default reconnect window ` +
          `(${RECONNECT_WINDOW_DEFAULT_SECONDS} unless set in the dashboard).`,
      ),
    slate: slateInputSchema.optional(),
    record: z
      .boolean()
      .optional()
      .describe("Record the stream (relay streams: one MP4 per stream session). Default: the app's recordByDefault."),
  })
  .refine((body) => body.restreamDestinations.length + body.savedDestinationIds.length <= MAX_DESTINATIONS_PER_REQUEST, {
    message: `at most ${MAX_DESTINATIONS_PER_REQUEST} destinations in all`,
    path: ['restreamDestinations'],
  });
export class CreateManagedStreamDto extends createZodDto(createManagedStreamSchema) {}
export type CreateManagedStreamRequest = z.output<typeof createManagedStreamSchema>;
/** A request with the calling app's defaults filled in. */
export type CreateManagedStreamInput = CreateManagedStreamRequest & { reconnectWindowSeconds: number; record: boolean };

/** Pure: what the request leaves out, the app's settings decide. */
export function withAppDefaults(
  request: CreateManagedStreamRequest,
  app: { defaultReconnectWindowSeconds: number; recordByDefault: boolean },
): CreateManagedStreamInput {
  return {
    ...request,
    reconnectWindowSeconds: request.reconnectWindowSeconds ?? app.defaultReconnectWindowSeconds,
    record: request.record ?? app.recordByDefault,
  };
}

export const addStreamDestinationSchema = restreamDestinationInputSchema
  .extend({ savedDestinationId: z.string().min(1).max(64).optional() })
  .partial({ url: true })
  .refine((body) => (body.url === undefined) !== (body.savedDestinationId === undefined), {
    message: 'give either url (with streamKey or a key in the path) or savedDestinationId',
    path: ['url'],
  });
export class AddStreamDestinationDto extends createZodDto(addStreamDestinationSchema) {}

export const updateStreamDestinationSchema = z.object({ enabled: z.boolean() });
export class UpdateStreamDestinationDto extends createZodDto(updateStreamDestinationSchema) {}

export const listManagedStreamsQuerySchema = z.object({
  userId: userIdSchema.optional(),
  status: z.enum(['live', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export class ListManagedStreamsQueryDto extends createZodDto(listManagedStreamsQuerySchema) {}

export const destinationStatusSchema = z
  .enum(['idle', 'starting', 'broadcasting', 'retrying', 'failed', 'stopped'])
  .describe(
    '`retrying`: the last attempt failed and the next is at nextRetryAt; `failed`: refused too often in a row, no more attempts until retried (POST …/retry) or disabled and enabled again',
  );
export const streamStatusSchema = z.enum([
  'initializing',
  'connecting',
  'active',
  'reconnecting',
  'stopping',
  'stopped',
  'error',
]);

export const streamDestinationResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string().describe('Ingest URL without the key'),
  streamKeyMasked: z.string().describe('Last 4 characters of the key'),
  enabled: z.boolean(),
  status: destinationStatusSchema,
  lastError: destinationErrorSchema
    .nullable()
    .describe('The last failure: a code to act on (dns_failed, key_rejected, …), what to check, and when'),
  attempts: z.number().int().describe('Attempts since it last broadcast'),
  nextRetryAt: z.string().nullable().describe('When the next attempt starts, while retrying'),
  sent: z
    .object({ bitrateKbps: z.number().int().nullable(), frames: z.number().int().nullable() })
    .nullable()
    .describe('While broadcasting: what the destination takes'),
  savedDestinationId: z.string().nullable(),
});

export const managedStreamResponseSchema = z.object({
  streamId: z.string(),
  userId: z.string(),
  ingestUrl: z.string().nullable().describe("The URL the glasses publish to, with the stream's publish key"),
  strategy: z.enum(['relay', 'cloudflare', 'hybrid']),
  strategyReason: z.string().nullable(),
  status: streamStatusSchema,
  statusReason: z.string().nullable(),
  hlsUrl: z.string().nullable(),
  hlsReady: z.boolean(),
  dashUrl: z.string().nullable(),
  webrtcUrl: z.string().nullable(),
  quality: z.string(),
  durationLimit: z.number().int().nullable(),
  reconnectWindowSeconds: z.number().int().describe('Seconds the slate stays on air while the glasses are away; 0: none'),
  slate: slateSchema,
  record: z.boolean().describe('The stream is recorded (GET .../recordings)'),
  joined: z.boolean().describe('True when this request joined a stream another app had started'),
  apps: z.number().int().describe('How many apps are attached'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  stats: z.object({
    bitrateKbps: z.number().nullable(),
    fps: z.number().nullable(),
    durationSeconds: z.number().nullable(),
    droppedFrames: z.number().nullable(),
    viewers: z.number().nullable(),
    outputMode: z
      .enum(['encode', 'passthrough'])
      .nullable()
      .describe('Relay streams: passthrough when the glasses send a clean stream and it is copied, encode when it is cleaned'),
    outputModeReason: z.string().nullable().describe('Why the stream is in its output mode'),
    updatedAt: z.string().nullable(),
  }),
  ingest: ingestHealthSchema
    .extend({ updatedAt: z.string() })
    .nullable()
    .describe(
      "Relay streams: the glasses' uplink over the last 10 s as the relay receives it, graded good, degraded (hiccups the relay hides) or poor (the audience sees freezes: send less); null until the glasses have sent for 2 s, and on Cloudflare, which reports no such figures",
    ),
  destinations: z.array(streamDestinationResponseSchema),
});
export class ManagedStreamResponseDto extends createZodDto(managedStreamResponseSchema) {}
export type ManagedStreamResponse = z.infer<typeof managedStreamResponseSchema>;
export type StreamDestinationResponse = z.infer<typeof streamDestinationResponseSchema>;

export const managedStreamListResponseSchema = z.object({ streams: z.array(managedStreamResponseSchema) });
export class ManagedStreamListResponseDto extends createZodDto(managedStreamListResponseSchema) {}

export class StreamDestinationResponseDto extends createZodDto(streamDestinationResponseSchema) {}
