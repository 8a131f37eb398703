import type { RelayRecord } from '../relays/relays.repository';
import type { StreamRow } from '../stream-records/managed-streams.repository';
import type { StreamStatus } from '../stream-records/stream-status';

export type StrategyName = 'relay' | 'cloudflare' | 'hybrid';
export type RequestedStrategy = StrategyName | 'auto';

/** What a strategy needs to know of a stream; ids and plain values only. */
export interface StrategyStream {
  id: string;
  userId: string;
  userPathSegment: string;
  status: StreamStatus;
  relayId: string | null;
  cloudflareLiveInputId: string | null;
  enableWebRTC: boolean;
}

/** The strategy's view of a stored stream row. */
export function strategyView(row: StreamRow): StrategyStream {
  return {
    id: row.id,
    userId: row.userId,
    userPathSegment: row.userPathSegment,
    status: row.status,
    relayId: row.relayId,
    cloudflareLiveInputId: row.cloudflareLiveInputId,
    enableWebRTC: row.enableWebRTC,
  };
}

export interface StrategyDestination {
  id: string;
  name: string;
  /** Full URL including the stream key; strategies hand it to the carrier, never to logs. */
  fullUrl: string;
  /** The same, apart: ingest URL without the key, and the key (Cloudflare outputs take them so). */
  ingestUrl: string;
  streamKey: string;
  enabled: boolean;
  cloudflareOutputId: string | null;
}

export interface ProvisionResult {
  ingestBaseUrl: string;
  publishKeyHash: string | null;
  relayId: string | null;
  cloudflareLiveInputId: string | null;
  /** Encrypted full RTMPS URL (with key) of the Cloudflare live input, when there is one. */
  cloudflareIngestCipher?: string | null;
  hlsUrl: string | null;
  dashUrl: string | null;
  webrtcUrl: string | null;
  /** Per destination id: what the carrier created for it, or why it could not. */
  destinations?: Record<string, DestinationProvisionResult>;
}

export interface DestinationProvisionResult {
  cloudflareOutputId?: string | null;
  /** The carrier refused this destination (the stream itself goes on); recorded as its lastError. */
  error?: string;
}

/**
 * How a stream is carried (our relay, Cloudflare Stream, or both). The stream service owns the
 * rows; a strategy only talks to the carrier and returns what it created.
 */
export interface StreamStrategy {
  readonly name: StrategyName;
  /**
   * True when provisioning touches nothing outside our database (the relay only picks a relay),
   * so it can run before the stream row exists and the stream is inserted ready in one statement.
   */
  readonly provisionsBeforeInsert: boolean;
  /** `relay`: the relay already picked for this stream (when choosing the strategy), so it is not picked again. */
  provision(stream: StrategyStream, destinations: readonly StrategyDestination[], relay?: RelayRecord): Promise<ProvisionResult>;
  addDestination(stream: StrategyStream, destination: StrategyDestination): Promise<DestinationProvisionResult>;
  removeDestination(stream: StrategyStream, destination: StrategyDestination): Promise<void>;
  setDestinationEnabled(
    stream: StrategyStream,
    destination: StrategyDestination,
    enabled: boolean,
  ): Promise<DestinationProvisionResult>;
  /** 'stopped' when nothing is running any more, 'stopping' when the carrier will confirm later. */
  stop(stream: StrategyStream): Promise<'stopped' | 'stopping'>;
}
