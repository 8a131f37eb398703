import { z } from 'zod';
import { recordingUrlSecretSchema } from '../../relay/protocol/recording-url';

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** `id:base64key,id:base64key`: the first key encrypts, every key decrypts (rotation). */
const encryptionKeys = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: 'each entry must be "keyId:base64key" (keyId: letters, digits, _ or -)' });
        return z.NEVER;
      }
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `key "${id}" must be 32 bytes, base64-encoded (got ${key.length})` });
        return z.NEVER;
      }
      if (keys.some((existing) => existing.id === id)) {
        ctx.addIssue({ code: 'custom', message: `key id "${id}" appears twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
      return z.NEVER;
    }
    return keys;
  });

/** Unset, or set to an empty string (as compose files do with `${VAR:-}`): both mean "not configured". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: booleanFlag.default(false),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
    ENCRYPTION_KEYS: encryptionKeys,
    PUBLISH_KEY_SECRET: z.string().min(32, 'must be at least 32 characters'),
    RELAY_TOKENS: commaList.pipe(
      z.array(z.string().min(24, 'each relay token must be at least 24 characters')).min(1, 'at least one token'),
    ),
    RTMP_RELAY_URLS: commaList.pipe(z.array(z.url({ protocol: /^rtmps?$/ }))).default([]),
    RTMP_RELAY_HLS_URLS: commaList.pipe(z.array(z.url({ protocol: /^https?$/ }))).default([]),
    RTMP_RELAY_CAPACITY: z.coerce.number().int().min(1).default(10),
    RELAY_HEARTBEAT_STALE_SECONDS: z.coerce.number().int().min(1).default(30),
    ALLOW_PRIVATE_DESTINATIONS: booleanFlag.default(false),
    BODY_LIMIT: z.string().default('64kb'),
    STREAM_STOP_GRACE_SECONDS: z.coerce.number().int().min(1).default(30),
    // Cloudflare Stream: configured when both the account id and the API token are set.
    CLOUDFLARE_ACCOUNT_ID: optional(z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character hex account id')),
    CLOUDFLARE_API_TOKEN: optional(z.string()),
    CLOUDFLARE_API_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
    CLOUDFLARE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    CLOUDFLARE_DELETE_RECORDING_AFTER_DAYS: optional(z.coerce.number().int().min(30).max(1096)),
    CLOUDFLARE_WEBHOOK_SECRET: optional(z.string()),
    /** Our share of Cloudflare's 1,200 calls per 5 minutes (headroom for other users of the account). */
    CLOUDFLARE_API_BUDGET_PER_5_MIN: z.coerce.number().int().min(10).max(1200).default(1000),
    CLOUDFLARE_CIRCUIT_FAILURES: z.coerce.number().int().min(1).default(3),
    CLOUDFLARE_CIRCUIT_OPEN_SECONDS: z.coerce.number().int().min(1).default(60),
    CLOUDFLARE_PLAYBACK_TIMEOUT_SECONDS: z.coerce.number().int().min(5).default(120),
    CLOUDFLARE_NO_VIDEO_TIMEOUT_SECONDS: z.coerce.number().int().min(5).default(45),
    CLOUDFLARE_STATUS_TARGET_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
    CLOUDFLARE_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(5).default(300),
    RELAY_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    STREAM_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    /** Hours a stopped stream's chart samples are kept (its last 30 minutes) before the maintenance scan deletes them. */
    STREAM_HISTORY_RETENTION_HOURS: z.coerce.number().int().min(0).max(2160).default(24),
    STREAM_PUBLISH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300),
    STREAM_INITIALIZING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
    STREAM_RECONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(900),
    DESTINATION_STARTING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
    WEBHOOK_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(10).default(1000),
    WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(600_000),
    WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
    /** Shared with the relays (their RELAY_RECORDING_URL_SECRET): signs recording download links. Unset: no links. */
    RECORDING_URL_SECRET: optional(recordingUrlSecretSchema),
    RECORDING_URL_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600)
      .default(3600),
    /** Recordings older than this are deleted (file on the relay and row). */
    RECORDING_RETENTION_DAYS: z.coerce.number().min(0.0001).max(36_500).default(30),
    RECORDING_RETENTION_INTERVAL_MS: z.coerce.number().int().min(100).default(3_600_000),
    APP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    ADMIN_USERNAME: z.string().trim().min(1).max(100).default('admin'),
    // Empty counts as unset (docker-compose's `${X:-}`): the dashboard then answers 503.
    ADMIN_PASSWORD_HASH: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(
          /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/,
          'must be scrypt$<N>$<r>$<p>$<saltB64>$<hashB64> (npm run cli -- admin:hash-password)',
        )
        .optional(),
    ),
    ADMIN_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(43_200),
    ADMIN_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    ADMIN_UI_DIR: z.string().min(1).optional().describe('The built dashboard; dist/admin-ui of the project by default'),
  })
  .superRefine((config, ctx) => {
    if ((config.CLOUDFLARE_ACCOUNT_ID === undefined) !== (config.CLOUDFLARE_API_TOKEN === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.CLOUDFLARE_ACCOUNT_ID ? 'CLOUDFLARE_API_TOKEN' : 'CLOUDFLARE_ACCOUNT_ID'],
        message: 'set both CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN, or neither',
      });
    }
    if (config.RTMP_RELAY_HLS_URLS.length !== config.RTMP_RELAY_URLS.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTMP_RELAY_HLS_URLS'],
        message: `must list one HLS URL per RTMP_RELAY_URLS entry (${config.RTMP_RELAY_URLS.length})`,
      });
    }
  });

export type AppConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad variable stops start-up with its name. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
