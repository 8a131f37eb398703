// The Apps page's forms, checked with the same zod schemas the service validates with (pure).
import { adminCreateAppSchema, adminUpdateAppSchema } from '../../src/admin/apps/admin-apps.schemas';
import type { AdminApp, AdminCreateAppRequest, AdminUpdateAppRequest } from './types';

export interface AppDraft {
  name: string;
  packageName: string;
  webhookUrl: string;
  /** Write-only: blank keeps the current secret (or has one generated for a first webhook URL). */
  webhookSecret: string;
  recordByDefault: boolean;
  defaultReconnectWindowSeconds: string;
}

export type AppField = keyof AppDraft;
export type AppFormErrors = Partial<Record<AppField | 'form', string>>;

export const EMPTY_APP_DRAFT: AppDraft = {
  name: '',
  packageName: '',
  webhookUrl: '',
  webhookSecret: '',
  recordByDefault: false,
  defaultReconnectWindowSeconds: '60',
};

export function draftOf(app: AdminApp): AppDraft {
  return {
    name: app.name,
    packageName: app.packageName,
    webhookUrl: app.webhookUrl ?? '',
    webhookSecret: '',
    recordByDefault: app.recordByDefault,
    defaultReconnectWindowSeconds: String(app.defaultReconnectWindowSeconds),
  };
}

const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

function seconds(value: string): number {
  // Number('') is 0: a cleared field must not silently mean "no slate".
  return value.trim() === '' ? Number.NaN : Number(value);
}

type Checked<T> = { request: T; errors: null } | { request: null; errors: AppFormErrors };

function check<T>(schema: typeof adminCreateAppSchema | typeof adminUpdateAppSchema, candidate: object): Checked<T> {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return { request: candidate as T, errors: null };
  const errors: AppFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = (issue.path[0] ?? 'form') as AppField | 'form';
    const message = issue.code === 'invalid_type' && issue.expected === 'number' ? 'must be a number of seconds' : issue.message;
    errors[field] ??= message;
  }
  return { request: null, errors };
}

/** The create request for a draft, or what to fix. */
export function createAppRequest(draft: AppDraft): Checked<AdminCreateAppRequest> {
  return check<AdminCreateAppRequest>(adminCreateAppSchema, {
    name: draft.name,
    packageName: optional(draft.packageName),
    webhookUrl: optional(draft.webhookUrl),
    webhookSecret: draft.webhookSecret === '' ? undefined : draft.webhookSecret,
    recordByDefault: draft.recordByDefault,
    defaultReconnectWindowSeconds: seconds(draft.defaultReconnectWindowSeconds),
  });
}

/** Only what changed: a cleared webhook URL turns webhooks off, a blank secret keeps the current one. */
export function updateAppRequest(app: AdminApp, draft: AppDraft): Checked<AdminUpdateAppRequest> {
  const request: AdminUpdateAppRequest = {};
  if (draft.name.trim() !== app.name) request.name = draft.name;
  const webhookUrl = optional(draft.webhookUrl) ?? null;
  if (webhookUrl !== app.webhookUrl) request.webhookUrl = webhookUrl;
  if (draft.webhookSecret !== '') request.webhookSecret = draft.webhookSecret;
  if (draft.recordByDefault !== app.recordByDefault) request.recordByDefault = draft.recordByDefault;
  const window = seconds(draft.defaultReconnectWindowSeconds);
  if (window !== app.defaultReconnectWindowSeconds) request.defaultReconnectWindowSeconds = window;
  const checked = check<AdminUpdateAppRequest>(adminUpdateAppSchema, request);
  if (checked.errors?.form === 'nothing to change') return { request: null, errors: { form: 'Nothing has changed.' } };
  return checked;
}

/** Server-side issues (`issues[].path`) onto the form's fields. */
export function errorsFromIssues(issues: { path: string; message: string }[]): AppFormErrors {
  const errors: AppFormErrors = {};
  for (const issue of issues) {
    const field = (issue.path.split('.').pop() || 'form') as AppField | 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}
