// Response shapes of the admin API, as written in admin-ui/CONTRACT.md.

export interface Session {
  username: string;
  csrfToken: string;
}

// Derived from the admin API's zod schemas (type-only: nothing of the server reaches the bundle).
export type {
  AdminApp,
  AdminAppList,
  AdminCreateAppRequest,
  AdminCreatedApp,
  AdminRotatedKey,
  AdminUpdateAppRequest,
  AdminUpdatedApp,
} from '../../src/admin/apps/admin-apps.schemas';
export type { AdminStreamHistory, AdminStreamSample } from '../../src/admin/streams/admin-stream-history.schemas';

export type Platform = 'youtube' | 'twitch' | 'custom';

export interface DestinationPreset {
  platform: Platform;
  label: string;
  ingestUrl: string | null;
}

export interface SavedDestination {
  id: string;
  userId: string;
  name: string;
  platform: Platform;
  url: string;
  streamKeyMasked: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  url: string;
  resolvedAddress: string | null;
  tcpConnectMs: number | null;
  tls: boolean;
  tlsError?: string | null;
  rtmpHandshake: 'ok' | 'failed';
  serverVersion?: string | null;
  message: string;
}

export type DestinationStatus = 'idle' | 'starting' | 'broadcasting' | 'errored' | 'stopped';

export interface LiveDestination {
  id: string;
  appId: string;
  name: string;
  url: string;
  streamKeyMasked: string;
  enabled: boolean;
  status: DestinationStatus;
  lastError: string | null;
  attempts: number;
  /** Set when the destination was attached from a saved one. */
  savedDestinationId?: string | null;
}

export interface IngestHealth {
  grade: 'good' | 'degraded' | 'poor';
  reason: string;
  fpsMean: number;
  fpsMin: number;
  bitrateKbps: number;
  keyframeIntervalSeconds: number | null;
  timestampJumps: number;
  gaps: number;
  longestGapMs: number;
  avDriftMs: number | null;
}

export interface AdminStream {
  id: string;
  appIds: string[];
  userId: string;
  status: string;
  statusReason: string | null;
  strategy: string;
  strategyReason: string | null;
  relayId: string | null;
  cloudflareLiveInputId: string | null;
  ingestBaseUrl: string | null;
  hlsUrl: string | null;
  dashUrl: string | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  bitrateKbps: number | null;
  fps: number | null;
  droppedFrames: number | null;
  /** Relay streams: `passthrough` (clean input, copied) or `encode`, and why. */
  outputMode: string | null;
  outputModeReason: string | null;
  /** The glasses' uplink over the last 10 s as the relay graded it; null until known. */
  ingest: IngestHealth | null;
  viewers: number | null;
  statsUpdatedAt: string | null;
  /** Seconds the relay keeps the slate on air while the glasses are away; 0: no slate. */
  reconnectWindowSeconds: number;
  /** What the audience sees meanwhile: a card with this text, or the app's image. */
  slate: { text: string; imageUrl: string | null };
  destinations: LiveDestination[];
}

export interface StreamEvent {
  id: string;
  streamId: string;
  destinationId: string | null;
  appId: string | null;
  type: string;
  status: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface AdminStreamDetail extends AdminStream {
  events: StreamEvent[];
}

export interface AdminRelay {
  id: string;
  rtmpUrl: string;
  hlsBaseUrl: string;
  region: string | null;
  state: string;
  capacity: number;
  load: number;
  liveStreams: number;
  lastHeartbeatAt: string | null;
  heartbeatAgeSeconds: number | null;
}
