import { hostname, totalmem } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { recordingUrlSecretSchema } from '../../protocol/recording-url';
import { VIDEO_ENCODER_NAMES } from '../ffmpeg/video-encoders';

const port = z.coerce.number().int().min(1).max(65535);

export const relayConfigSchema = z.object({
  RELAY_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  RELAY_TOKEN: z.string().min(24, "must be one of the API's RELAY_TOKENS (at least 24 characters)"),
  RELAY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/)
    .default(`relay-${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}`),
  /** The host glasses and viewers reach this relay at. */
  RELAY_PUBLIC_HOST: z.string().min(1).default('127.0.0.1'),
  RELAY_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  RELAY_RTMP_PORT: port.default(1935),
  RELAY_HLS_PORT: port.default(8888),
  /** nginx callbacks (loopback only) and Prometheus metrics. */
  RELAY_CONTROL_PORT: port.default(8890),
  /**
   * Streams this relay offers the API: `auto` (measured: what its streams really use of
   * RELAY_CPU_BUDGET_PERCENT and RELAY_MEMORY_BUDGET_MB, new streams counted as encodes) or a fixed number.
   */
  RELAY_CAPACITY: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)]).default('auto'),
  /** Percent of all cores the relay's streams may use. */
  RELAY_CPU_BUDGET_PERCENT: z.coerce.number().min(1).max(100).default(80),
  RELAY_MEMORY_BUDGET_MB: z.coerce
    .number()
    .int()
    .min(64)
    .default(Math.floor((totalmem() / 1024 / 1024) * 0.8)),
  RELAY_WORK_DIR: z.string().default(path.resolve('.data', 'relay')),
  // Every second: live changes (enable, disable, "retry now") reach the relay within about a second.
  RELAY_HEARTBEAT_MS: z.coerce.number().int().min(200).default(1000),
  RELAY_STATUS_INTERVAL_MS: z.coerce.number().int().min(200).default(5000),
  RELAY_STOP_GRACE_MS: z.coerce.number().int().min(100).default(5000),
  /**
   * Draining (SIGTERM, or an operator's request through the API): how long live streams may carry
   * on before they are moved to another relay. Kubernetes' terminationGracePeriodSeconds should exceed it.
   */
  RELAY_DRAIN_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  /** `on`: a stream whose input is clean already (CFR, keyframes ≤ 4 s, H.264 + AAC at the output's shape) is copied, not encoded. */
  RELAY_PASSTHROUGH: z.enum(['on', 'off']).default('on'),
  /** A destination whose key is refused this many times in a row is `failed` until someone retries or edits it. */
  RELAY_DESTINATION_MAX_REFUSALS: z.coerce.number().int().min(1).max(1000).default(5),
  /** PEM file of extra certificates to trust for rtmps:// destinations (a private CA), besides the system's. */
  RELAY_TLS_CA_FILE: z.string().min(1).optional(),
  /** The API's RECORDING_URL_SECRET: nginx checks recording download links with it. Unset: no downloads. */
  RELAY_RECORDING_URL_SECRET: recordingUrlSecretSchema.optional(),
  FFMPEG_PATH: z.string().default('ffmpeg'),
  /**
   * H.264 encoder: libx264 (CPU), a hardware one (falls back to libx264 with a warning when its trial
   * encode fails), or auto: the first hardware encoder that passes the trial, else libx264.
   */
  RELAY_VIDEO_ENCODER: z.enum(['auto', ...VIDEO_ENCODER_NAMES]).default('libx264'),
  NGINX_PATH: z.string().default('nginx'),
  NGINX_RTMP_MODULE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RelayConfig = z.output<typeof relayConfigSchema>;

export function parseRelayConfig(env: Record<string, string | undefined>): RelayConfig {
  const result = relayConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid relay configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function rtmpBaseUrl(config: RelayConfig): string {
  return `rtmp://${config.RELAY_PUBLIC_HOST}:${config.RELAY_RTMP_PORT}`;
}

export function hlsBaseUrl(config: RelayConfig): string {
  return `http://${config.RELAY_PUBLIC_HOST}:${config.RELAY_HLS_PORT}`;
}
