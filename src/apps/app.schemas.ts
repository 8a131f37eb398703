// The shapes of an app's settings. Plain zod, no Nest: the dashboard imports the types inferred here.
import { z } from 'zod';
import { RECONNECT_WINDOW_DEFAULT_SECONDS, RECONNECT_WINDOW_MAX_SECONDS } from '../../relay/protocol/relay-protocol.schemas';

export const WEBHOOK_SECRET_MIN_LENGTH = 16;

export const appNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const packageNameSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9._-]{1,100}$/, 'letters, digits, ".", "_" or "-", at most 100')
  .describe('Unique; e.g. com.example.glasses');

export const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2048, 'must be at most 2048 characters')
  .describe('Where the signed event POSTs go');

export const webhookSecretSchema = z
  .string()
  .min(WEBHOOK_SECRET_MIN_LENGTH, `must be at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`)
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'printable characters only, no spaces')
  .describe('HMAC key of the webhook signatures; write-only (never returned)');

export const defaultReconnectWindowSecondsSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(0, 'must be 0 (no slate) or more')
  .max(RECONNECT_WINDOW_MAX_SECONDS, `must be at most ${RECONNECT_WINDOW_MAX_SECONDS} seconds`)
  .describe(
    `reconnectWindowSeconds of this app's streams when the request leaves it out (${RECONNECT_WINDOW_DEFAULT_SECONDS} unless set)`,
  );

export const recordByDefaultSchema = z.boolean().describe("This app's streams are recorded unless the request says otherwise");

export const createAppSchema = z.object({
  name: appNameSchema,
  packageName: packageNameSchema.optional().describe('Unique; derived from the name when left out'),
  webhookUrl: webhookUrlSchema.optional(),
  webhookSecret: webhookSecretSchema.optional().describe('Generated (and shown once) when a webhook URL comes without one'),
  recordByDefault: recordByDefaultSchema.default(false),
  defaultReconnectWindowSeconds: defaultReconnectWindowSecondsSchema.default(RECONNECT_WINDOW_DEFAULT_SECONDS),
});
export type CreateAppInput = z.input<typeof createAppSchema>;

export const updateAppSchema = z
  .object({
    name: appNameSchema.optional(),
    webhookUrl: webhookUrlSchema.nullable().optional().describe('null turns webhooks off (and forgets the secret)'),
    webhookSecret: webhookSecretSchema.optional(),
    recordByDefault: recordByDefaultSchema.optional(),
    defaultReconnectWindowSeconds: defaultReconnectWindowSecondsSchema.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'nothing to change' })
  .refine((body) => !(body.webhookUrl === null && body.webhookSecret !== undefined), {
    message: 'a webhook secret needs a webhook URL',
    path: ['webhookSecret'],
  });
export type UpdateAppInput = z.input<typeof updateAppSchema>;
