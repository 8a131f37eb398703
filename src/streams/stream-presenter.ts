import { Injectable } from '@nestjs/common';
import { EncryptionService } from '../common/crypto/encryption.service';
import { maskSecret } from '../common/masking';
import type { ManagedStreamResponse, StreamDestinationResponse } from './managed-stream.schemas';
import type { DestinationRow, StreamRow } from '../stream-records/managed-streams.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { ingestOf } from '../stream-records/stream-ingest';
import { slateOf } from '../stream-records/stream-slate';
import { destinationErrorOf } from '../stream-records/destination-health';

/** Shapes rows for an app: only its own destinations, keys masked, the ingest URL with its key. */
@Injectable()
export class StreamPresenter {
  constructor(
    private readonly encryption: EncryptionService,
    private readonly publishKeys: PublishKeyService,
  ) {}

  /** `streamKeys`: keys in clear by destination id, when the caller has them (spares decrypting). */
  stream(row: StreamRow, appId: string, joined = false, streamKeys?: ReadonlyMap<string, string>): ManagedStreamResponse {
    return {
      streamId: row.id,
      userId: row.userId,
      ingestUrl: this.ingestUrl(row),
      strategy: row.strategy,
      strategyReason: row.strategyReason,
      status: row.status,
      statusReason: row.statusReason,
      hlsUrl: row.hlsUrl,
      hlsReady: row.hlsReadyAt !== null,
      dashUrl: row.dashUrl,
      webrtcUrl: row.webrtcUrl,
      quality: row.quality,
      durationLimit: row.durationLimit,
      reconnectWindowSeconds: row.reconnectWindowSeconds,
      slate: slateOf(row),
      record: row.record,
      joined,
      apps: row.attachments.length,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      stats: {
        bitrateKbps: row.bitrateKbps,
        fps: row.fps,
        durationSeconds: row.durationSeconds,
        droppedFrames: row.droppedFrames,
        viewers: row.viewers,
        outputMode: outputModeOf(row.outputMode),
        outputModeReason: row.outputModeReason,
        updatedAt: row.statsUpdatedAt?.toISOString() ?? null,
      },
      ingest: this.ingest(row),
      destinations: row.destinations.filter((d) => d.appId === appId).map((d) => this.destination(d, streamKeys?.get(d.id))),
    };
  }

  private ingest(row: StreamRow): ManagedStreamResponse['ingest'] {
    const health = ingestOf(row);
    return health && row.ingestUpdatedAt ? { ...health, updatedAt: row.ingestUpdatedAt.toISOString() } : null;
  }

  destination(row: DestinationRow, streamKey?: string): StreamDestinationResponse {
    return {
      id: row.id,
      name: row.name,
      url: row.url,
      streamKeyMasked: maskSecret(streamKey ?? this.encryption.decrypt(row.streamKeyCipher, 'stream-key')),
      enabled: row.enabled,
      status: row.status,
      lastError: destinationErrorOf(row),
      attempts: row.attempts,
      nextRetryAt: row.status === 'retrying' ? (row.nextRetryAt?.toISOString() ?? null) : null,
      sent: row.status === 'broadcasting' ? { bitrateKbps: row.sentBitrateKbps, frames: row.sentFrames } : null,
      savedDestinationId: row.savedDestinationId,
    };
  }

  /**
   * The publish key is the stream's own credential for its apps; ended streams no longer show it.
   * On Cloudflare the glasses push to the live input's RTMPS URL with Cloudflare's key.
   */
  private ingestUrl(row: StreamRow): string | null {
    if (!row.ingestBaseUrl) return null;
    if (row.status === 'stopped' || row.status === 'stopping') return row.ingestBaseUrl;
    if (row.strategy === 'cloudflare') {
      return row.cloudflareIngestCipher ? this.encryption.decrypt(row.cloudflareIngestCipher, 'stream-key') : row.ingestBaseUrl;
    }
    return this.publishKeys.publishUrl(row.ingestBaseUrl, row.id);
  }
}

/** The column is free text (the relay's word); the API shows only the modes it knows. */
function outputModeOf(mode: string | null): 'encode' | 'passthrough' | null {
  return mode === 'encode' || mode === 'passthrough' ? mode : null;
}
