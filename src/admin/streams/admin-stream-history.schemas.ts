// The stream page's charts. Plain zod, no Nest: the dashboard derives its types from these
// (admin-ui/src/types.ts), and admin-stream-history.dto.ts makes the DTOs and OpenAPI entries.
import { z } from 'zod';
import { ingestGradeSchema } from '../../../relay/protocol/relay-protocol.schemas';
import { HISTORY_WINDOW_MINUTES, SAMPLE_INTERVAL_SECONDS, type StoredStreamSample } from '../../stream-history/stream-samples';

export const adminStreamHistoryQuerySchema = z.object({
  minutes: z.coerce
    .number()
    .int('must be a whole number of minutes')
    .min(1)
    .max(HISTORY_WINDOW_MINUTES)
    .default(HISTORY_WINDOW_MINUTES)
    .describe(`How far back, up to the ${HISTORY_WINDOW_MINUTES} minutes kept`),
});

export const adminStreamParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const adminStreamSampleSchema = z.object({
  at: z.string().describe('ISO time of the relay report'),
  outputFps: z.number().nullable().describe('What the relay sends to the destinations'),
  outputBitrateKbps: z.number().int().nullable(),
  droppedFrames: z.number().int().nullable(),
  ingestFps: z.number().nullable().describe("The glasses' uplink: mean fps over the relay's last 10 s"),
  ingestFpsMin: z.number().nullable().describe('The slowest whole second of those 10 s'),
  ingestBitrateKbps: z.number().int().nullable(),
  ingestGrade: ingestGradeSchema.nullable().describe('null: no uplink figures (e.g. the slate while reconnecting)'),
});
export type AdminStreamSample = z.infer<typeof adminStreamSampleSchema>;

export const adminStreamHistorySchema = z.object({
  streamId: z.string(),
  from: z.string().describe('Start of the window (ISO)'),
  to: z.string().describe('End of the window: now, or when the stream stopped'),
  intervalSeconds: z.number().int().describe('At most one sample per this many seconds'),
  samples: z.array(adminStreamSampleSchema).describe('Oldest first; a missing slot means no report then'),
});
export type AdminStreamHistory = z.infer<typeof adminStreamHistorySchema>;

/** Pure: the wire form of a stream's samples in a window. */
export function adminStreamHistoryView(
  streamId: string,
  window: { from: Date; to: Date },
  samples: StoredStreamSample[],
): AdminStreamHistory {
  return {
    streamId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    intervalSeconds: SAMPLE_INTERVAL_SECONDS,
    samples: samples.map(({ at, ...values }) => ({ at: at.toISOString(), ...values })),
  };
}
