import { createZodDto } from '../../common/zod-dto';
import { z } from 'zod';
import { restreamDestinationInputSchema } from '../../streams/managed-stream.schemas';
import {
  adminDestinationViewSchema,
  adminLiveStatsSchema,
  adminStreamDetailSchema,
  adminStreamViewSchema,
} from './admin-stream-view.schemas';

export const listAdminStreamsQuerySchema = z.object({
  status: z.enum(['live', 'all']).default('live'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export class ListAdminStreamsQueryDto extends createZodDto(listAdminStreamsQuerySchema) {}

export const adminStreamQuerySchema = z.object({
  beforeEventId: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an event id')
    .optional()
    .describe('Older history: events strictly before this id'),
  eventsLimit: z.coerce.number().int().min(1).max(500).default(100),
});
export class AdminStreamQueryDto extends createZodDto(adminStreamQuerySchema) {}

export const addAdminStreamDestinationSchema = restreamDestinationInputSchema
  .partial({ url: true })
  .extend({
    appId: z.string().min(1).max(64).describe('The app the destination belongs to (attached to the stream)'),
    savedDestinationId: z.string().min(1).max(64).optional(),
  })
  .refine((body) => (body.url === undefined) !== (body.savedDestinationId === undefined), {
    message: 'give either url (with streamKey or a key in the path) or savedDestinationId',
    path: ['url'],
  });
export class AddAdminStreamDestinationDto extends createZodDto(addAdminStreamDestinationSchema) {}

export const updateAdminStreamDestinationSchema = z.object({ enabled: z.boolean() });
export class UpdateAdminStreamDestinationDto extends createZodDto(updateAdminStreamDestinationSchema) {}

// Responses: the shapes are plain zod in admin-stream-view.schemas.ts (the dashboard's types come from there).
export class AdminStreamViewDto extends createZodDto(adminStreamViewSchema) {}
export class AdminStreamDetailDto extends createZodDto(adminStreamDetailSchema) {}
export class AdminDestinationViewDto extends createZodDto(adminDestinationViewSchema) {}
export class AdminLiveStatsDto extends createZodDto(adminLiveStatsSchema) {}
