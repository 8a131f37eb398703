import { errorFromResponse, NetworkError, RestreamError } from './errors.js';
import type { ApiOperations } from './generated/api.js';

export type OperationKey = keyof ApiOperations;
type Operation<K extends OperationKey> = ApiOperations[K];

/** What one call needs: path parameters and a body exactly when the operation has them. */
export type CallParts<K extends OperationKey> = (Operation<K>['path'] extends Record<string, never>
  ? { path?: undefined }
  : { path: Operation<K>['path'] }) &
  (Operation<K>['body'] extends undefined ? { body?: undefined } : { body: Operation<K>['body'] }) & {
    query?: Operation<K>['query'];
  };

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** Where the API is, e.g. `https://restream.example.com` (no trailing `/api`). */
  baseUrl: string;
  /** The app's API key. */
  apiKey: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: FetchFunction;
  /** Give up on a request after this long (30 s by default). */
  timeoutMs?: number;
}

type QueryValue = string | number | boolean | null | undefined;

/** `"GET /api/managed-streams/{streamId}"` + parameters → method and URL. */
export function operationRequest(
  baseUrl: string,
  operation: string,
  path: Record<string, string> = {},
  query: Record<string, QueryValue> = {},
): { method: string; url: string } {
  const [method, template] = operation.split(' ');
  const filled = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = path[name];
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${operation}: missing path parameter "${name}"`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const queryString = search.toString();
  return { method, url: `${baseUrl.replace(/\/+$/, '')}${filled}${queryString ? `?${queryString}` : ''}` };
}

/** Sends the typed operations of `ApiOperations` and turns failures into RestreamError subclasses. */
export class Transport {
  readonly baseUrl: string;
  private readonly fetchFunction: FetchFunction;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    if (!options.apiKey) throw new TypeError('RestreamClient: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.options.apiKey}`, ...extra };
  }

  /** A fetch that reports "no answer" as NetworkError. */
  async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFunction(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new NetworkError(
        { status: 0, code: 'network_error', message: `Could not reach ${this.baseUrl}: ${reason}` },
        { cause: error },
      );
    }
  }

  async call<K extends OperationKey>(operation: K, parts: CallParts<K>): Promise<Operation<K>['response']> {
    const { method, url } = operationRequest(this.baseUrl, operation, parts.path, parts.query);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const hasBody = parts.body !== undefined;
      const response = await this.send(url, {
        method,
        headers: this.headers({ Accept: 'application/json', ...(hasBody ? { 'Content-Type': 'application/json' } : {}) }),
        body: hasBody ? JSON.stringify(parts.body) : undefined,
        signal: controller.signal,
      });
      const text = await response.text();
      const json = parseJson(text);
      if (!response.ok) throw errorFromResponse(response.status, json, response.headers);
      return (response.status === 204 ? undefined : json) as Operation<K>['response'];
    } catch (error) {
      if (error instanceof RestreamError) throw error;
      if (controller.signal.aborted) {
        throw new NetworkError(
          { status: 0, code: 'timeout', message: `${method} ${url} got no answer within ${this.timeoutMs} ms` },
          { cause: error },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
