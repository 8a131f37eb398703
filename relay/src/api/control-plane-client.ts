import type { z } from 'zod';
import type {
  publishAuthResponseSchema,
  relayDestinationsResponseSchema,
  relayHeartbeatResponseSchema,
  RelayStreamStatus,
} from '../../../src/relays/rtmp-relay.schemas';

export type PublishDecision = z.infer<typeof publishAuthResponseSchema>;
export type RelayDestinations = z.infer<typeof relayDestinationsResponseSchema>;
export type HeartbeatAnswer = z.infer<typeof relayHeartbeatResponseSchema>;
export type StreamStatusReport = RelayStreamStatus;

export class ControlPlaneError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 5000;

/** The relay's side of the relay-facing API (the paths the fleet uses). */
export class ControlPlaneClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly relayId: string,
  ) {}

  register(body: { rtmpUrl: string; hlsBaseUrl: string; capacity: number; region?: string }): Promise<unknown> {
    return this.request('POST', '/api/rtmp-relay/relays', { id: this.relayId, ...body });
  }

  heartbeat(body: { load: number; capacity: number; activeStreams: string[] }): Promise<HeartbeatAnswer> {
    return this.request('POST', `/api/rtmp-relay/relays/${encodeURIComponent(this.relayId)}/heartbeat`, body);
  }

  /** A refusal is an answer (403), not an error. */
  async publishAuth(path: string, key: string): Promise<PublishDecision> {
    try {
      return await this.request('POST', '/api/rtmp-relay/publish-auth', { path, key, relayId: this.relayId });
    } catch (error) {
      if (error instanceof ControlPlaneError && error.status === 403) return { allowed: false, reason: error.message };
      throw error;
    }
  }

  destinations(userSegment: string, streamId: string): Promise<RelayDestinations> {
    return this.request(
      'GET',
      `/api/rtmp-relay/restream-destinations/${encodeURIComponent(userSegment)}/${encodeURIComponent(streamId)}`,
    );
  }

  hlsReady(body: { userId: string; streamId: string; hlsUrl: string }): Promise<unknown> {
    return this.request('POST', '/api/rtmp-relay/hls-ready', body);
  }

  streamStatus(body: StreamStatusReport): Promise<unknown> {
    return this.request('POST', '/api/rtmp-relay/stream-status', body);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-relay-token': this.token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const message = parsed && typeof parsed === 'object' && 'message' in parsed ? String(parsed.message) : text;
      const reason = parsed && typeof parsed === 'object' && 'reason' in parsed ? String(parsed.reason) : null;
      throw new ControlPlaneError(
        reason ?? `${method} ${path.split('/').slice(0, 4).join('/')} answered ${response.status}: ${message}`,
        response.status,
      );
    }
    return parsed as T;
  }
}
