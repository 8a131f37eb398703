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

/** A destination's state as the relay sees it. */
export const relayDestinationStateSchema = z.enum(['starting', 'broadcasting', 'errored', 'stopped']);
export type RelayDestinationState = z.infer<typeof relayDestinationStateSchema>;

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
export const ingestHealthSchema = z.object({
  grade: z.enum(['good', 'degraded', 'poor']),
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
 * A stream's state on the relay. `reconnecting`: the glasses are gone and the relay keeps every
 * destination fed with the slate until they return or the window runs out (then `stopped`, with the
 * reason).
 */
export const relayStreamStatusSchema = z.object({
  userId: z.string().min(1).max(512),
  streamId: z.string().min(1).max(64),
  status: z.enum(['connecting', 'active', 'reconnecting', 'stopped', 'error']),
  reason: z.string().max(500).optional(),
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
  destinations: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        status: relayDestinationStateSchema,
        error: z.string().max(500).optional(),
      }),
    )
    .max(100)
    .optional(),
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

export const relayHeartbeatSchema = z.object({
  load: z.number().int().min(0).max(100_000),
  capacity: z.number().int().min(1).max(10_000).optional(),
  state: z.enum(['active', 'draining']).optional(),
  activeStreams: z.array(z.string().min(1).max(64)).max(10_000).default([]),
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
