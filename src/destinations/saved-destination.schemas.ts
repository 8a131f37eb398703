import { z } from 'zod';
import { createZodDto } from '../common/zod-dto';
import { userIdSchema } from '../stream-records/user-path-segment';

export const platformSchema = z.enum(['youtube', 'twitch', 'custom']);

export const createSavedDestinationSchema = z.object({
  userId: userIdSchema,
  name: z.string().trim().min(1).max(100),
  platform: platformSchema.optional().describe('Detected from the URL when omitted'),
  url: z.string().min(1).max(2048).describe('rtmp:// or rtmps:// ingest URL; the key may be its last path segment'),
  streamKey: z.string().min(1).max(512).optional(),
  enabled: z.boolean().default(true),
});
export class CreateSavedDestinationDto extends createZodDto(createSavedDestinationSchema) {}

export const updateSavedDestinationSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    platform: platformSchema.optional(),
    url: z.string().min(1).max(2048).optional(),
    streamKey: z.string().min(1).max(512).optional().describe('Replaces the key; keys are never shown again'),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export class UpdateSavedDestinationDto extends createZodDto(updateSavedDestinationSchema) {}

export const listSavedDestinationsQuerySchema = z.object({ userId: userIdSchema.optional() });
export class ListSavedDestinationsQueryDto extends createZodDto(listSavedDestinationsQuerySchema) {}

export const savedDestinationResponseSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  platform: platformSchema,
  url: z.string().describe('Ingest URL without the key'),
  streamKeyMasked: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export class SavedDestinationResponseDto extends createZodDto(savedDestinationResponseSchema) {}
export type SavedDestinationResponse = z.infer<typeof savedDestinationResponseSchema>;

export const savedDestinationListResponseSchema = z.object({ destinations: z.array(savedDestinationResponseSchema) });
export class SavedDestinationListResponseDto extends createZodDto(savedDestinationListResponseSchema) {}
