import { z } from 'zod';

/**
 * The relay protocol: every message between the control plane (src/) and a relay agent (relay/).
 * Both sides import these schemas and validate what they receive: the API its request bodies, the
 * agent the API's answers. Pure zod; the API wraps them in DTO classes for OpenAPI.
 */

// The API stores these in 32-bit columns.
const count = z.number().int().min(0).max(2_147_483_647);

export const streamQualitySchema = z.enum(['480p', '720p', '1080p']);
export type StreamQuality = z.infer<typeof streamQualitySchema>;

/**
 * A destination's state as the relay sees it. `starting`: the first connection (or one asked for);
 * `retrying`: it failed and the next attempt is scheduled (attempts in between stay `retrying`);
 * `failed`: refused too often in a row, no more attempts until someone retries or edits it.
 */
export const relayDestinationStateSchema = z.enum(['starting', 'broadcasting', 'retrying', 'failed', 'stopped']);
export type RelayDestinationState = z.infer<typeof relayDestinationStateSchema>;

/** Why a destination's last attempt failed, in terms a person can act on. */
export const destinationErrorCodeSchema = z.enum([
  'dns_failed',
  'connection_refused',
  'connection_timeout',
  'tls_failed',
  'key_rejected',
  'already_publishing',
  'disconnected',
  'stalled',
  'unknown',
]);
export type DestinationErrorCode = z.infer<typeof destinationErrorCodeSchema>;

export const destinationErrorSchema = z.object({
  code: destinationErrorCodeSchema,
  message: z.string().max(500).describe('What to check, in plain words; never the stream key'),
  at: z.iso.datetime(),
});
export type DestinationError = z.infer<typeof destinationErrorSchema>;

/** One destination in a relay's status report. */
export const relayDestinationReportSchema = z.object({
  id: z.string().min(1).max(64),
  status: relayDestinationStateSchema,
  /** Attempts since it last broadcast (0 while broadcasting). */
  attempts: count.optional(),
  nextRetryAt: z.iso.datetime().nullable().optional(),
  lastError: destinationErrorSchema.nullable().optional(),
  /** While broadcasting: what this destination takes. */
  sentBitrateKbps: z.number().min(0).max(1e9).optional(),
  sentFrames: count.optional(),
});
export type RelayDestinationReport = z.infer<typeof relayDestinationReportSchema>;

export const RECONNECT_WINDOW_MAX_SECONDS = 600;
export const RECONNECT_WINDOW_DEFAULT_SECONDS = 60;
export const SLATE_TEXT_MAX = 120;
export const DEFAULT_SLATE_TEXT = 'The camera is reconnecting…';

/** What the audience sees while the glasses are gone: a card with this text, or the app's image. */
export const slateSchema = z.object({
  text: z.string().max(SLATE_TEXT_MAX),
  imageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
});
export type Slate = z.infer<typeof slateSchema>;

export const relayDestinationSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  url: z.string().min(1).max(4096).describe('Full URL including the stream key'),
  /** Bumped by "retry now": a new value resets the backoff and connects at once. */
  retry: count.default(0),
});
export type RelayDestination = z.infer<typeof relayDestinationSchema>;

/** Everything a relay needs to carry one stream: sent with publish-auth's yes and by restream-destinations. */
export const relayStreamPlanSchema = z.object({
  streamId: z.string().min(1).max(64),
  userId: z.string().min(1).max(512),
  quality: streamQualitySchema,
  reconnectWindowSeconds: z.number().int().min(0).max(RECONNECT_WINDOW_MAX_SECONDS),
  slate: slateSchema,
  destinationsVersion: z.number().int(),
  destinations: z.array(relayDestinationSchema).max(100),
  /** Write the clean stream to a fragmented MP4 on the relay, one file per stream session. */
  record: z.boolean().default(false),
});
export type RelayStreamPlan = z.infer<typeof relayStreamPlanSchema>;

export const publishAuthRequestSchema = z.object({
  path: z.string().min(1).max(1024).describe('live/{user}/{streamId}, as the RTMP server saw it'),
  key: z.string().max(512).default(''),
  relayId: z.string().min(1).max(128).optional(),
});
export type PublishAuthRequest = z.input<typeof publishAuthRequestSchema>;

/** 200 with `allowed: true` and the stream's plan, or 403 with `allowed: false` and why. */
export const publishAuthResponseSchema = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true), streamId: z.string(), userId: z.string(), plan: relayStreamPlanSchema }),
  z.object({ allowed: z.literal(false), reason: z.string() }),
]);
export type PublishAuthResponse = z.infer<typeof publishAuthResponseSchema>;

export const hlsReadySchema = z.object({
  userId: z.string().min(1).max(512),
  streamId: z.string().min(1).max(64),
  hlsUrl: z.url({ protocol: /^https?$/ }),
  dashUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type HlsReady = z.infer<typeof hlsReadySchema>;

export const outputModeSchema = z.enum(['encode', 'passthrough']);
export type OutputMode = z.infer<typeof outputModeSchema>;

/** The glasses' uplink as the relay receives it, over the last `windowSeconds` (up to 10). */
export const ingestGradeSchema = z.enum(['good', 'degraded', 'poor']);

export const ingestHealthSchema = z.object({
  grade: ingestGradeSchema,
  reason: z.string().max(300).describe('Why the grade, in words'),
  windowSeconds: z.number().min(0).max(60),
  fpsMean: z.number().min(0).max(1000),
  fpsMin: z.number().min(0).max(1000).describe('The slowest whole second of the window'),
  bitrateKbps: z.number().min(0).max(1e7),
  keyframeIntervalSeconds: z.number().min(0).max(3600).nullable().describe('The longest in the window; null: none'),
  timestampJumps: count.describe('Device clock steps that do not match the arrival times'),
  gaps: count.describe('Pauses between pictures of 0.5 s or more'),
  longestGapMs: z.number().min(0).max(1e7),
  avDriftMs: z.number().min(-1e7).max(1e7).nullable().describe('Sound ahead (+) or behind (-) the pictures; null: no sound'),
});
export type IngestHealth = z.infer<typeof ingestHealthSchema>;

/**
 * Why the relay stopped carrying a stream: the publisher left with no reconnect window, the window ran
 * out, the API asked for the stop, or the relay itself is going away (the glasses may come back elsewhere).
 */
export const relayStopCauseSchema = z.enum(['publisher_left', 'window_expired', 'stop_requested', 'relay_shutdown']);
export type RelayStopCause = z.infer<typeof relayStopCauseSchema>;

/**
 * A stream's state on the relay. `reconnecting`: the glasses are gone and the relay keeps every
 * destination fed with the slate until they return or the window runs out (then `stopped`, with the
 * reason). `error`: the relay cannot produce the stream's output (its encoder keeps failing); the
 * reason says why, and `active` (or `reconnecting`) follows when it recovers.
 */
export const relayStreamStatusSchema = z.object({
  userId: z.string().min(1).max(512),
  streamId: z.string().min(1).max(64),
  status: z.enum(['connecting', 'active', 'reconnecting', 'stopped', 'error']),
  reason: z.string().max(500).optional(),
  /** With `stopped`: why the relay stopped carrying the stream. */
  stopCause: relayStopCauseSchema.optional(),
  viewers: count.optional(),
  bitrate: z.number().min(0).max(1e9).optional().describe('kbit/s'),
  fps: z.number().min(0).max(1000).optional(),
  droppedFrames: count.optional(),
  durationSeconds: count.optional(),
  /** `passthrough`: the glasses' stream is clean already and is copied; `encode`: it is cleaned by an encode. */
  outputMode: outputModeSchema.optional(),
  /** Why the stream is in that mode, in words (e.g. what made the input dirty). */
  outputModeReason: z.string().max(300).optional(),
  /** The glasses' uplink while they publish (absent until they have sent for 2 s). */
  ingest: ingestHealthSchema.optional(),
  destinations: z.array(relayDestinationReportSchema).max(100).optional(),
});
export type RelayStreamStatus = z.infer<typeof relayStreamStatusSchema>;

export const relayRegistrationSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, ".", "_" or "-"'),
  rtmpUrl: z.url({ protocol: /^rtmps?$/ }),
  hlsBaseUrl: z.url({ protocol: /^https?$/ }),
  region: z.string().max(64).optional(),
  capacity: z.number().int().min(1).max(10_000),
});
export type RelayRegistration = z.infer<typeof relayRegistrationSchema>;

export const recordingIdSchema = z.string().regex(/^rec_[A-Za-z0-9_-]{1,64}$/);
export const recordingStatusSchema = z.enum(['recording', 'ready', 'failed']);
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

/** A recording as the relay writing it sees it: sent when it starts, while it grows and when it ends. */
export const relayRecordingReportSchema = z.object({
  id: recordingIdSchema,
  streamId: z.string().min(1).max(64),
  userId: z.string().min(1).max(512),
  status: recordingStatusSchema,
  /** The file's name in the relay's recordings directory (served as /recordings/{file}). */
  file: z.string().regex(/^[A-Za-z0-9_-]{1,128}\.mp4$/),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  durationSeconds: z.number().min(0).max(1e8),
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  error: z.string().max(500).optional(),
});
export type RelayRecordingReport = z.infer<typeof relayRecordingReportSchema>;

export const relayHeartbeatSchema = z.object({
  load: z.number().int().min(0).max(100_000),
  capacity: z.number().int().min(1).max(10_000).optional(),
  state: z.enum(['active', 'draining']).optional(),
  activeStreams: z.array(z.string().min(1).max(64)).max(10_000).default([]),
  /** Recordings whose files this relay removed since the API asked (the API then forgets them). */
  deletedRecordings: z.array(recordingIdSchema).max(1000).default([]),
  /** What the relay's streams really use; `capacity` is derived from it when the relay measures its own. */
  usage: z
    .object({
      cores: z.number().int().min(1).max(4096),
      cpuPercent: z.number().min(0).max(409_600).describe('percent of one core: agent + FFmpeg processes'),
      memoryMb: z.number().min(0).max(1e7).describe('PSS of the agent and its FFmpeg processes'),
      encodeStreams: count,
      passthroughStreams: count,
      freeStreams: count,
    })
    .optional(),
});
export type RelayHeartbeat = z.input<typeof relayHeartbeatSchema>;

export const relayStateSchema = z.enum(['active', 'draining', 'offline']);

export const relayHeartbeatResponseSchema = z.object({
  relayId: z.string(),
  /** The relay's state as the API holds it: `draining` when an operator asked it to drain. */
  state: relayStateSchema.optional(),
  streams: z.array(
    z.object({
      streamId: z.string(),
      userId: z.string(),
      desired: z.enum(['run', 'stop']),
      destinationsVersion: z.number().int(),
    }),
  ),
  /** Recording files this relay should remove (deleted by an app or past retention); absent: none. */
  deleteRecordings: z
    .array(z.object({ id: recordingIdSchema, file: relayRecordingReportSchema.shape.file }))
    .max(1000)
    .default([]),
});
export type RelayHeartbeatResponse = z.infer<typeof relayHeartbeatResponseSchema>;

export const relayResponseSchema = z.object({
  id: z.string(),
  rtmpUrl: z.string(),
  hlsBaseUrl: z.string(),
  region: z.string().nullable(),
  capacity: z.number().int(),
  load: z.number().int(),
  state: relayStateSchema,
  lastHeartbeatAt: z.string().nullable(),
});
export type RelayResponse = z.infer<typeof relayResponseSchema>;

/** A draining relay at its deadline: its live streams move to other relays. */
export const relayHandOverResponseSchema = z.object({
  moved: z.array(z.object({ streamId: z.string(), relayId: z.string() })),
  unplaced: z.array(z.string()),
});
export type RelayHandOverResponse = z.infer<typeof relayHandOverResponseSchema>;
