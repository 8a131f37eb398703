/** The stand-in's own records; `live-input-views.ts` turns them into Cloudflare's response shapes. */

export type RecordingMode = 'off' | 'automatic';

export interface RecordingSettings {
  mode: RecordingMode;
  requireSignedURLs: boolean;
  timeoutSeconds: number;
  hideLiveViewerCount: boolean;
  allowedOrigins?: string[];
}

/** Body of create / update (PUT) once the schema accepted it. */
export interface LiveInputSettings {
  defaultCreator?: string;
  deleteRecordingAfterDays?: number | null;
  meta?: Record<string, unknown>;
  recording?: Partial<RecordingSettings>;
  enabled?: boolean;
  preferLowLatency?: boolean;
}

export interface LiveInputCredentials {
  rtmpsStreamKey: string;
  rtmpsPlaybackKey: string;
  srtStreamId: string;
  srtPassphrase: string;
  srtPlaybackStreamId: string;
  srtPlaybackPassphrase: string;
  webRTCKey: string;
  webRTCPlaybackKey: string;
}

/** What a test drives: the broadcaster's side of the connection. */
export type ConnectionState = 'idle' | 'connected' | 'reconnecting' | 'disconnected' | 'errored';

/** Values of the schema's `stream_live_input_status` enum. */
export const LIVE_INPUT_STATUS_VALUES = [
  'connected',
  'reconnected',
  'reconnecting',
  'client_disconnect',
  'ttl_exceeded',
  'failed_to_connect',
  'failed_to_reconnect',
  'new_configuration_accepted',
] as const;
export type LiveInputStatusValue = (typeof LIVE_INPUT_STATUS_VALUES)[number];

/**
 * How `status` is rendered. `string`: the schema's enum (`"connected"`); `object`: the shape seen in
 * the wild, `{current: {state, reason, ingestProtocol, statusEnteredAt, statusLastSeen}, history: []}`;
 * `json-string`: that object JSON-encoded into a string, as cloudflare-go#4211 reported it.
 */
export const STATUS_SHAPES = ['string', 'object', 'json-string'] as const;
export type StatusShape = (typeof STATUS_SHAPES)[number];

export const LIVE_INPUT_ERROR_CODES = [
  'ERR_GOP_OUT_OF_RANGE',
  'ERR_UNSUPPORTED_VIDEO_CODEC',
  'ERR_UNSUPPORTED_AUDIO_CODEC',
  'ERR_STORAGE_QUOTA_EXHAUSTED',
] as const;
export type LiveInputErrorCode = (typeof LIVE_INPUT_ERROR_CODES)[number];

export interface LiveInputError {
  code: LiveInputErrorCode;
  message: string;
  videoCodec: string;
  audioCodec: string;
}

export interface ConnectionRecord {
  state: ConnectionState;
  enteredAt: number;
  ingestProtocol: 'rtmp' | 'srt' | 'webrtc';
  /** A raw enum value a test asked for, shown instead of the one derived from `state`. */
  statusOverride?: LiveInputStatusValue;
  error?: LiveInputError;
}

export interface OutputRecord {
  uid: string;
  url: string;
  streamKey: string;
  enabled: boolean;
}

export interface LiveInputRecord {
  uid: string;
  createdAt: number;
  modifiedAt: number;
  meta: Record<string, unknown>;
  recording: RecordingSettings;
  deleteRecordingAfterDays: number | null;
  defaultCreator?: string;
  enabled: boolean;
  preferLowLatency: boolean;
  credentials: LiveInputCredentials;
  keysRotatedAt: number | null;
  connection: ConnectionRecord;
  /** Overrides the stand-in's status shape for this input. */
  statusShape?: StatusShape;
  outputs: Map<string, OutputRecord>;
}

export type VideoState = 'live-inprogress' | 'ready';

export interface VideoRecord {
  uid: string;
  liveInput: string;
  state: VideoState;
  name: string;
  createdAt: number;
  modifiedAt: number;
  readyAt?: number;
  durationSeconds: number;
  requireSignedURLs: boolean;
  allowedOrigins: string[];
  deleteRecordingAfterDays: number | null;
}

export const MAX_OUTPUTS_PER_LIVE_INPUT = 50;
