import { z } from 'zod';
import { createZodDto } from '../common/zod-dto';
import { destinationStatusSchema } from '../streams/managed-stream.schemas';

const count = z.number().int().min(0).max(1e12);

export const relayDestinationsResponseSchema = z.object({
  streamId: z.string(),
  destinationsVersion: z.number().int(),
  destinations: z.array(
    z.object({ id: z.string(), name: z.string(), url: z.string().describe('Full URL including the stream key') }),
  ),
});
export class RelayDestinationsResponseDto extends createZodDto(relayDestinationsResponseSchema) {}

export const hlsReadySchema = z.object({
  userId: z.string().min(1).max(512),
  streamId: z.string().min(1).max(64),
  hlsUrl: z.url({ protocol: /^https?$/ }),
  dashUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export class HlsReadyDto extends createZodDto(hlsReadySchema) {}

export const relayStreamStatusSchema = z.object({
  userId: z.string().min(1).max(512),
  streamId: z.string().min(1).max(64),
  status: z.enum(['connecting', 'active', 'reconnecting', 'stopped', 'error']),
  reason: z.string().max(500).optional(),
  viewers: count.optional(),
  bitrate: z.number().min(0).max(1e9).optional().describe('kbit/s'),
  fps: z.number().min(0).max(1000).optional(),
  droppedFrames: count.optional(),
  durationSeconds: count.optional(),
  destinations: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        status: destinationStatusSchema,
        error: z.string().max(500).optional(),
      }),
    )
    .max(100)
    .optional(),
});
export class RelayStreamStatusDto extends createZodDto(relayStreamStatusSchema) {}
export type RelayStreamStatus = z.infer<typeof relayStreamStatusSchema>;

export const publishAuthSchema = z.object({
  path: z.string().min(1).max(1024).describe('live/{user}/{streamId}, as the RTMP server saw it'),
  key: z.string().max(512).default(''),
  relayId: z.string().min(1).max(128).optional(),
});
export class PublishAuthDto extends createZodDto(publishAuthSchema) {}

export const publishAuthResponseSchema = z.object({
  allowed: z.boolean(),
  streamId: z.string().optional(),
  userId: z.string().optional(),
  reason: z.string().optional(),
});
export class PublishAuthResponseDto extends createZodDto(publishAuthResponseSchema) {}

export const relayRegistrationSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, ".", "_" or "-"'),
  rtmpUrl: z.url({ protocol: /^rtmps?$/ }),
  hlsBaseUrl: z.url({ protocol: /^https?$/ }),
  region: z.string().max(64).optional(),
  capacity: z.number().int().min(1).max(10_000),
});
export class RelayRegistrationDto extends createZodDto(relayRegistrationSchema) {}

export const relayHeartbeatSchema = z.object({
  load: z.number().int().min(0).max(100_000),
  capacity: z.number().int().min(1).max(10_000).optional(),
  state: z.enum(['active', 'draining']).optional(),
  activeStreams: z.array(z.string().min(1).max(64)).max(10_000).default([]),
});
export class RelayHeartbeatDto extends createZodDto(relayHeartbeatSchema) {}

export const relayHeartbeatResponseSchema = z.object({
  relayId: z.string(),
  streams: z.array(
    z.object({
      streamId: z.string(),
      userId: z.string(),
      desired: z.enum(['run', 'stop']),
      destinationsVersion: z.number().int(),
    }),
  ),
});
export class RelayHeartbeatResponseDto extends createZodDto(relayHeartbeatResponseSchema) {}

export const relayResponseSchema = z.object({
  id: z.string(),
  rtmpUrl: z.string(),
  hlsBaseUrl: z.string(),
  region: z.string().nullable(),
  capacity: z.number().int(),
  load: z.number().int(),
  state: z.enum(['active', 'draining', 'offline']),
  lastHeartbeatAt: z.string().nullable(),
});
export class RelayResponseDto extends createZodDto(relayResponseSchema) {}
