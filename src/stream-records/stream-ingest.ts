import { ingestHealthSchema, type IngestHealth } from '../../relay/protocol/relay-protocol.schemas';

/** The glasses' uplink as stored on a stream row (JSON written from a validated relay report). */
export function ingestOf(row: { ingest: unknown }): IngestHealth | null {
  const parsed = ingestHealthSchema.safeParse(row.ingest);
  return parsed.success ? parsed.data : null;
}
