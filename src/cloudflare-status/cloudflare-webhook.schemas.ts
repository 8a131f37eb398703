import { createZodDto } from '../common/zod-dto';
import { z } from 'zod';

/** Cloudflare Notifications' body for Stream live input events (alert type stream_live_notifications). */
export const cloudflareLiveWebhookSchema = z.object({
  name: z.string().optional(),
  text: z.string().optional(),
  ts: z.number().int().optional(),
  data: z.object({
    notification_name: z.string().optional(),
    input_id: z.string().min(1),
    event_type: z.enum(['live_input.connected', 'live_input.disconnected', 'live_input.errored']),
    updated_at: z.string().optional(),
    live_input_errored: z
      .object({
        error: z.object({ code: z.string(), message: z.string().optional() }).optional(),
        video_codec: z.string().optional(),
        audio_codec: z.string().optional(),
      })
      .optional(),
  }),
});
export type CloudflareLiveWebhook = z.infer<typeof cloudflareLiveWebhookSchema>;
export class CloudflareLiveWebhookDto extends createZodDto(cloudflareLiveWebhookSchema) {}

export const cloudflareWebhookResultSchema = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'moved', 'unknown_input', 'ignored']),
});
export class CloudflareWebhookResultDto extends createZodDto(cloudflareWebhookResultSchema) {}
