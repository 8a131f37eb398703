import { createZodDto } from '../../common/zod-dto';
import { z } from 'zod';
import { platformSchema, savedDestinationResponseSchema } from '../../destinations/saved-destination.schemas';
import { userIdSchema } from '../../stream-records/user-path-segment';

const ingestUrlSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(2048)
  .describe('rtmp:// or rtmps:// ingest URL; the key may be its last path segment');
const streamKeySchema = z.string().min(1, 'must not be empty').max(512);

export const createAdminDestinationSchema = z.object({
  userId: userIdSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100),
  platform: platformSchema.optional(),
  ingestUrl: ingestUrlSchema,
  streamKey: streamKeySchema.optional(),
  enabled: z.boolean().default(true),
});
export class CreateAdminDestinationDto extends createZodDto(createAdminDestinationSchema) {}

export const updateAdminDestinationSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    platform: platformSchema.optional(),
    ingestUrl: ingestUrlSchema.optional(),
    streamKey: streamKeySchema.optional().describe('Replaces the key; keys are never shown again'),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'nothing to change' });
export class UpdateAdminDestinationDto extends createZodDto(updateAdminDestinationSchema) {}

export const listAdminDestinationsQuerySchema = z.object({ userId: userIdSchema.optional() });
export class ListAdminDestinationsQueryDto extends createZodDto(listAdminDestinationsQuerySchema) {}

export const adminDestinationResponseSchema = savedDestinationResponseSchema.extend({
  appId: z.string(),
  ingestUrl: z.string().describe('Ingest URL without the key (same as url)'),
});
export type AdminDestinationResponse = z.infer<typeof adminDestinationResponseSchema>;
export class AdminDestinationResponseDto extends createZodDto(adminDestinationResponseSchema) {}

export const destinationPresetSchema = z.object({
  platform: platformSchema,
  label: z.string(),
  ingestUrl: z.string().nullable().describe('Null for custom: the user types the URL'),
});
export type DestinationPreset = z.infer<typeof destinationPresetSchema>;
export class DestinationPresetDto extends createZodDto(destinationPresetSchema) {}

export const testConnectionSchema = z
  .object({
    ingestUrl: ingestUrlSchema.optional(),
    appId: z.string().min(1).max(64).optional(),
    destinationId: z.string().min(1).max(64).optional().describe('A saved destination of appId'),
  })
  .refine((body) => (body.ingestUrl !== undefined) !== (body.appId !== undefined && body.destinationId !== undefined), {
    message: 'give either ingestUrl or appId and destinationId',
    path: ['ingestUrl'],
  });
export class TestConnectionDto extends createZodDto(testConnectionSchema) {}

export const testConnectionResponseSchema = z.object({
  ok: z.boolean(),
  url: z.string().describe('What was tested, never with a stream key'),
  resolvedAddress: z.string().nullable(),
  tcpConnectMs: z.number().nullable(),
  tls: z.boolean().describe('TLS was negotiated (rtmps://)'),
  tlsError: z.string().optional(),
  rtmpHandshake: z.enum(['ok', 'failed']),
  serverVersion: z.string().optional(),
  message: z.string(),
});
export type TestConnectionResponse = z.infer<typeof testConnectionResponseSchema>;
export class TestConnectionResponseDto extends createZodDto(testConnectionResponseSchema) {}
