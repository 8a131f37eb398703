// The admin API's relay shapes. Plain zod, no Nest: the dashboard derives its types from these
// (admin-ui/src/types.ts), and admin-relays.dto.ts makes the DTO and OpenAPI entry.
import { z } from 'zod';

export const adminRelayViewSchema = z.object({
  id: z.string(),
  rtmpUrl: z.string(),
  hlsBaseUrl: z.string(),
  region: z.string().nullable(),
  state: z.enum(['active', 'draining', 'offline']),
  capacity: z.number().int(),
  load: z.number().int(),
  liveStreams: z.number().int().describe('Streams on the relay that are not over'),
  lastHeartbeatAt: z.string().nullable(),
  heartbeatAgeSeconds: z.number().int().nullable().describe('Null for a static relay that never reported'),
});
export type AdminRelayView = z.infer<typeof adminRelayViewSchema>;
