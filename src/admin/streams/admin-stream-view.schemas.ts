// The admin API's stream shapes. Plain zod, no Nest: the dashboard derives its types from these
// (admin-ui/src/types.ts), and admin-streams.schemas.ts makes the response DTOs and OpenAPI entries.
import { z } from 'zod';
import { ingestHealthSchema, slateSchema } from '../../../relay/protocol/relay-protocol.schemas';
import { streamEventSchema } from '../../stream-records/stream-events';
import { streamDestinationResponseSchema, streamStatusSchema } from '../../streams/managed-stream.schemas';

/** A stream's destination as the SDK's API shows it, plus the app that owns it. */
export const adminDestinationViewSchema = streamDestinationResponseSchema.extend({
  appId: z.string().describe('The app the destination belongs to'),
});
export type AdminDestinationView = z.infer<typeof adminDestinationViewSchema>;

export const adminStreamViewSchema = z.object({
  id: z.string(),
  appIds: z.array(z.string()).describe('The apps attached to the stream'),
  userId: z.string(),
  status: streamStatusSchema,
  statusReason: z.string().nullable(),
  strategy: z.enum(['relay', 'cloudflare', 'hybrid']),
  strategyReason: z.string().nullable(),
  relayId: z.string().nullable(),
  cloudflareLiveInputId: z.string().nullable(),
  ingestBaseUrl: z.string().nullable().describe('Without the publish key: the dashboard watches, the glasses publish'),
  hlsUrl: z.string().nullable(),
  dashUrl: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  uptimeSeconds: z.number().int().nullable().describe('From the first frame until it ended (or now)'),
  bitrateKbps: z.number().nullable(),
  fps: z.number().nullable(),
  droppedFrames: z.number().nullable(),
  viewers: z.number().nullable(),
  statsUpdatedAt: z.string().nullable(),
  outputMode: z.string().nullable().describe('Relay streams: passthrough (clean input, copied) or encode'),
  outputModeReason: z.string().nullable().describe('Why the stream is in its output mode'),
  ingest: ingestHealthSchema.nullable().describe("The glasses' uplink as the relay last graded it; null until known"),
  reconnectWindowSeconds: z.number().int().describe('Seconds the slate stays on air while the glasses are away; 0: none'),
  slate: slateSchema,
  destinations: z.array(adminDestinationViewSchema).describe("Every app's destinations, keys masked"),
});
export type AdminStreamView = z.infer<typeof adminStreamViewSchema>;

export const adminStreamDetailSchema = adminStreamViewSchema.extend({
  events: z.array(streamEventSchema).describe('A page of history, oldest first'),
  eventsHasMore: z.boolean().describe('Older events exist before the first one here (ask with beforeEventId)'),
});
export type AdminStreamDetail = z.infer<typeof adminStreamDetailSchema>;

/** The `data:` of the dashboard feed's `stream.stats` messages (stats change without an event). */
export const adminLiveStatsSchema = z.object({
  streams: z.array(
    adminStreamViewSchema.pick({
      id: true,
      uptimeSeconds: true,
      bitrateKbps: true,
      fps: true,
      droppedFrames: true,
      viewers: true,
      statsUpdatedAt: true,
    }),
  ),
});
export type AdminLiveStats = z.infer<typeof adminLiveStatsSchema>;
