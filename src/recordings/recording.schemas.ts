import { z } from 'zod';
import { recordingStatusSchema } from '../../relay/protocol/relay-protocol.schemas';
import { createZodDto } from '../common/zod-dto';

export const recordingResponseSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().describe('Seconds of media written so far'),
  sizeBytes: z.number().int(),
  status: recordingStatusSchema.describe('`recording` while live, `ready` once finished, `failed` if it could not be written'),
  downloadUrl: z
    .string()
    .nullable()
    .describe('Signed, expires (RECORDING_URL_TTL_SECONDS); null when downloads are not configured or the relay is unknown'),
});
export type RecordingResponse = z.infer<typeof recordingResponseSchema>;

export const recordingListResponseSchema = z.object({ recordings: z.array(recordingResponseSchema) });
export class RecordingListResponseDto extends createZodDto(recordingListResponseSchema) {}
