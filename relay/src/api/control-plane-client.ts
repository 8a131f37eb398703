import type { z } from 'zod';
import {
  publishAuthResponseSchema,
  relayHandOverResponseSchema,
  relayHeartbeatResponseSchema,
  relayStreamPlanSchema,
  type HlsReady,
  type PublishAuthResponse,
  type RelayHandOverResponse,
  type RelayHeartbeat,
  type RelayHeartbeatResponse,
  type RelayRecordingReport,
  type RelayRegistration,
  type RelayStreamPlan,
  type RelayStreamStatus,
} from '../../protocol/relay-protocol.schemas';

export class ControlPlaneError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 5000;

/** The relay's side of the relay-facing API (the paths the fleet uses); every answer is validated. */
export class ControlPlaneClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly relayId: string,
  ) {}

  async register(body: Omit<RelayRegistration, 'id'>): Promise<void> {
    await this.request('POST', '/api/rtmp-relay/relays', { id: this.relayId, ...body });
  }

  async heartbeat(body: RelayHeartbeat): Promise<RelayHeartbeatResponse> {
    const path = `/api/rtmp-relay/relays/${encodeURIComponent(this.relayId)}/heartbeat`;
    return this.parse(relayHeartbeatResponseSchema, await this.request('POST', path, body), path);
  }

  /** The relay is leaving: the API moves its live streams to other relays. */
  async handOver(): Promise<RelayHandOverResponse> {
    const path = `/api/rtmp-relay/relays/${encodeURIComponent(this.relayId)}/hand-over`;
    return this.parse(relayHandOverResponseSchema, await this.request('POST', path, {}), path);
  }

  /** A refusal is an answer (403), not an error. */
  async publishAuth(path: string, key: string): Promise<PublishAuthResponse> {
    const url = '/api/rtmp-relay/publish-auth';
    try {
      return this.parse(publishAuthResponseSchema, await this.request('POST', url, { path, key, relayId: this.relayId }), url);
    } catch (error) {
      if (error instanceof ControlPlaneError && error.status === 403) return { allowed: false, reason: error.message };
      throw error;
    }
  }

  /** The stream's plan: quality, reconnect window, slate and destinations (with keys). */
  async streamPlan(userSegment: string, streamId: string): Promise<RelayStreamPlan> {
    const path = `/api/rtmp-relay/restream-destinations/${encodeURIComponent(userSegment)}/${encodeURIComponent(streamId)}`;
    return this.parse(relayStreamPlanSchema, await this.request('GET', path), '/api/rtmp-relay/restream-destinations');
  }

  async hlsReady(body: HlsReady): Promise<void> {
    await this.request('POST', '/api/rtmp-relay/hls-ready', body);
  }

  async streamStatus(body: RelayStreamStatus): Promise<void> {
    await this.request('POST', '/api/rtmp-relay/stream-status', body);
  }

  async recording(body: RelayRecordingReport): Promise<void> {
    await this.request('POST', `/api/rtmp-relay/relays/${encodeURIComponent(this.relayId)}/recordings`, body);
  }

  private parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ControlPlaneError(`${what}: unexpected answer (${issue?.path.join('.') || '(root)'}: ${issue?.message})`, null);
    }
    return result.data;
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-relay-token': this.token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const message = parsed && typeof parsed === 'object' && 'message' in parsed ? String(parsed.message) : text.slice(0, 200);
      const reason = parsed && typeof parsed === 'object' && 'reason' in parsed ? String(parsed.reason) : null;
      throw new ControlPlaneError(
        reason ?? `${method} ${path.split('/').slice(0, 4).join('/')} answered ${response.status}: ${message}`,
        response.status,
      );
    }
    return parsed;
  }
}
