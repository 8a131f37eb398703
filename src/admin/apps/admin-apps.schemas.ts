// The admin API's app shapes. Plain zod, no Nest: the dashboard derives its types from these
// (admin-ui/src/pages/apps/types.ts), and admin-apps.dto.ts makes the DTOs and OpenAPI entries.
import { z } from 'zod';
import { createAppSchema, updateAppSchema } from '../../apps/app.schemas';

export const adminCreateAppSchema = createAppSchema;
export type AdminCreateAppRequest = z.input<typeof adminCreateAppSchema>;

export const adminUpdateAppSchema = updateAppSchema;
export type AdminUpdateAppRequest = z.input<typeof adminUpdateAppSchema>;

export const adminAppParamsSchema = z.object({ appId: z.string().min(1).max(64) });

export const adminAppSchema = z.object({
  id: z.string(),
  name: z.string(),
  packageName: z.string(),
  webhookUrl: z.string().nullable(),
  webhookSecretMasked: z.string().nullable().describe('Last 4 characters of the webhook secret; null when there is none'),
  recordByDefault: z.boolean(),
  defaultReconnectWindowSeconds: z.number().int(),
  createdAt: z.string(),
});
export type AdminApp = z.infer<typeof adminAppSchema>;

export const adminAppListSchema = z.object({ apps: z.array(adminAppSchema) });
export type AdminAppList = z.infer<typeof adminAppListSchema>;

export const adminCreatedAppSchema = z.object({
  app: adminAppSchema,
  apiKey: z.string().describe('Shown once: only its hash is kept'),
  webhookSecret: z.string().nullable().describe('Shown once when the service generated it; null otherwise'),
});
export type AdminCreatedApp = z.infer<typeof adminCreatedAppSchema>;

export const adminUpdatedAppSchema = z.object({
  app: adminAppSchema,
  webhookSecret: z.string().nullable().describe('Shown once when the service generated it for a first webhook URL'),
});
export type AdminUpdatedApp = z.infer<typeof adminUpdatedAppSchema>;

export const adminRotatedKeySchema = z.object({
  app: adminAppSchema,
  apiKey: z.string().describe('Shown once; the previous key no longer works'),
});
export type AdminRotatedKey = z.infer<typeof adminRotatedKeySchema>;

/** Pure: the wire form of an app. */
export function adminAppView(app: Omit<AdminApp, 'createdAt'> & { createdAt: Date }): AdminApp {
  return {
    id: app.id,
    name: app.name,
    packageName: app.packageName,
    webhookUrl: app.webhookUrl,
    webhookSecretMasked: app.webhookSecretMasked,
    recordByDefault: app.recordByDefault,
    defaultReconnectWindowSeconds: app.defaultReconnectWindowSeconds,
    createdAt: app.createdAt.toISOString(),
  };
}
