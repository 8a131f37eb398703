import Cloudflare from 'cloudflare';
import type { CloudflareStandIn } from './stand-in-server';

/** The official SDK pointed at the stand-in, without the SDK's own retries (tests see every answer). */
export function sdkFor(standIn: CloudflareStandIn, overrides: { apiToken?: string; timeout?: number } = {}): Cloudflare {
  return new Cloudflare({
    apiToken: overrides.apiToken ?? standIn.apiToken,
    baseURL: standIn.baseURL,
    maxRetries: 0,
    timeout: overrides.timeout,
  });
}

export interface SdkFailure {
  status: number | undefined;
  errors: { code: number; message: string }[];
  name: string;
}

/** Runs an SDK call expected to fail and returns what the SDK surfaced. */
export async function sdkFailure(call: () => Promise<unknown>): Promise<SdkFailure> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Cloudflare.APIError) {
      return { status: error.status, errors: error.errors as SdkFailure['errors'], name: error.constructor.name };
    }
    throw error;
  }
  throw new Error('the call succeeded; a failure was expected');
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

/** A request past the SDK, for what it hides (headers, raw bodies). */
export async function rawCall(standIn: CloudflareStandIn, method: string, path: string, body?: unknown) {
  const response = await fetch(`${standIn.baseURL}/accounts/${standIn.accountId}${path}`, {
    method,
    headers: { authorization: `Bearer ${standIn.apiToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
