// The one place that talks HTTP to /admin/api: same-origin cookie session, CSRF header on changes,
// and the service's error body turned into an ApiError the forms can show next to their fields.

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one form field, matching issue paths like `streamKey` or `body.streamKey`. */
  issueFor(field: string): string | undefined {
    return this.issues.find((issue) => issue.path === field || issue.path.endsWith(`.${field}`))?.message;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 (the session expired): the app goes back to sign-in. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function errorFrom(status: number, body: unknown): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : typeof record.error === 'string' ? record.error : 'error';
  const message = typeof record.message === 'string' ? record.message : `Request failed (${status})`;
  const issues = Array.isArray(record.issues) ? (record.issues as FieldIssue[]) : [];
  return new ApiError(status, code, message, issues);
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { quietUnauthorized?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/admin/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the service. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quietUnauthorized) onUnauthorized();
    throw errorFrom(response.status, parsed);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, options?: { quietUnauthorized?: boolean }) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: { quietUnauthorized?: boolean }) =>
    request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Lists may come bare or wrapped (`{destinations: [...]}`); the UI wants the array. */
export function listOf<T>(value: unknown, key: string): T[] {
  if (Array.isArray(value)) return value as T[];
  if (typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[key])) {
    return (value as Record<string, T[]>)[key];
  }
  return [];
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
