import { z } from 'zod';

/** What an injected failure does: answer a status in Cloudflare's shape, or never answer at all. */
export const injectedFailureSchema = z
  .object({
    /** 5xx, 429, 401 or 403; ignored for `hang`. */
    status: z.union([z.literal(401), z.literal(403), z.literal(429), z.number().int().min(500).max(599)]).optional(),
    /** `hang` keeps the connection open without a byte of answer (the client's timeout fires). */
    hang: z.boolean().optional(),
    /** How many matching requests fail; omitted: every one until cleared. */
    times: z.number().int().positive().optional(),
    /** Only requests with this HTTP method. */
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).optional(),
    /** Only requests whose path (with `/client/v4`) matches this regular expression. */
    pathPattern: z.string().min(1).optional(),
    /** Answer a 5xx with an HTML error page, as Cloudflare's edge does, instead of the JSON envelope. */
    edgeHtml: z.boolean().optional(),
    /** `retry-after` sent with an injected 429 (seconds). */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
  })
  .refine((f) => f.hang === true || f.status !== undefined, { message: 'give a status or hang: true' });

export type InjectedFailure = z.infer<typeof injectedFailureSchema>;

export interface ActiveFailure extends InjectedFailure {
  id: number;
  /** Matching requests still to fail; null: until cleared. */
  remaining: number | null;
  hits: number;
}

export type FailureAction = { kind: 'hang' } | { kind: 'status'; status: number; retryAfterSeconds?: number; edgeHtml?: boolean };

/** Failures injected by tests, consumed in the order they were added. */
export class FailureInjector {
  private nextId = 1;
  private failures: (ActiveFailure & { pattern?: RegExp })[] = [];

  inject(failure: InjectedFailure): ActiveFailure {
    const parsed = injectedFailureSchema.parse(failure);
    const active = { ...parsed, id: this.nextId++, remaining: parsed.times ?? null, hits: 0 };
    this.failures.push({ ...active, pattern: parsed.pathPattern ? new RegExp(parsed.pathPattern) : undefined });
    return active;
  }

  /** The failure this request must suffer, if any (and counts it). */
  take(method: string, path: string): FailureAction | null {
    const failure = this.failures.find(
      (f) =>
        (f.remaining === null || f.remaining > 0) && (!f.method || f.method === method) && (!f.pattern || f.pattern.test(path)),
    );
    if (!failure) return null;
    failure.hits++;
    if (failure.remaining !== null) failure.remaining--;
    this.failures = this.failures.filter((f) => f.remaining === null || f.remaining > 0);
    if (failure.hang) return { kind: 'hang' };
    return {
      kind: 'status',
      status: failure.status ?? 500,
      retryAfterSeconds: failure.retryAfterSeconds,
      edgeHtml: failure.edgeHtml,
    };
  }

  list(): ActiveFailure[] {
    return this.failures.map(({ pattern: _pattern, ...failure }) => failure);
  }

  clear(id?: number): void {
    this.failures = id === undefined ? [] : this.failures.filter((f) => f.id !== id);
  }
}
