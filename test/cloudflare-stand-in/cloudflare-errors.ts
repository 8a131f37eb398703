/** One item of the v4 envelope's `errors` / `messages` arrays. */
export interface CloudflareMessage {
  code: number;
  message: string;
  error_chain?: CloudflareMessage[];
}

/**
 * Error codes. Seen in Cloudflare's answers (public issues and docs): 10000 (bad or foreign token,
 * HTTP 403), 6003/6111 (malformed Authorization header, 400), 7000/7003 (no route, bad object
 * identifier), 971 (rate limit, 429), 6007 (malformed JSON). The Stream-specific codes for a
 * validation failure, an unknown object and the output limit are not documented: the stand-in's
 * choices below keep the envelope shape, which is what clients can rely on.
 */
export const CF_CODE = {
  authentication: 10000,
  invalidHeaders: 6003,
  invalidAuthorizationFormat: 6111,
  malformedJson: 6007,
  noRoute: 7000,
  methodNotAllowed: 7001,
  notRoutable: 7003,
  rateLimited: 971,
  internal: 10001,
  notFound: 10003,
  invalidRequest: 10005,
  tooManyOutputs: 10009,
  idempotencyConflict: 10010,
  notImplemented: 10501,
} as const;

/** A refusal the stand-in answers in Cloudflare's failure envelope. */
export class CloudflareApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: CloudflareMessage[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  }
}

export function failureEnvelope(errors: CloudflareMessage[]) {
  return { result: null, success: false, errors, messages: [] };
}

export function successEnvelope<T>(result: T, extra: Record<string, unknown> = {}) {
  return { result, success: true, errors: [], messages: [], ...extra };
}

export const cloudflareErrors = {
  authentication: () => new CloudflareApiError(403, [{ code: CF_CODE.authentication, message: 'Authentication error' }]),
  malformedAuthorization: () =>
    new CloudflareApiError(400, [
      {
        code: CF_CODE.invalidHeaders,
        message: 'Invalid request headers',
        error_chain: [{ code: CF_CODE.invalidAuthorizationFormat, message: 'Invalid format for Authorization header' }],
      },
    ]),
  notRoutable: (path: string) =>
    new CloudflareApiError(400, [
      { code: CF_CODE.notRoutable, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
      { code: CF_CODE.noRoute, message: 'No route for that URI' },
    ]),
  noRoute: () => new CloudflareApiError(404, [{ code: CF_CODE.noRoute, message: 'No route for that URI' }]),
  methodNotAllowed: (method: string) =>
    new CloudflareApiError(405, [{ code: CF_CODE.methodNotAllowed, message: `Method ${method} not allowed for this route` }]),
  malformedJson: () => new CloudflareApiError(400, [{ code: CF_CODE.malformedJson, message: 'Malformed JSON in request body' }]),
  invalid: (messages: string[]) =>
    new CloudflareApiError(
      400,
      messages.map((message) => ({ code: CF_CODE.invalidRequest, message })),
    ),
  notFound: (what: string) => new CloudflareApiError(404, [{ code: CF_CODE.notFound, message: `${what} not found` }]),
  tooManyOutputs: (max: number) =>
    new CloudflareApiError(400, [
      { code: CF_CODE.tooManyOutputs, message: `A live input can have at most ${max} outputs; delete one before adding another` },
    ]),
  idempotencyKeyReused: () =>
    new CloudflareApiError(409, [
      {
        code: CF_CODE.idempotencyConflict,
        message: 'This Idempotency-Key was used for a live input that has since been deleted',
      },
    ]),
  rateLimited: (retryAfterSeconds: number) =>
    new CloudflareApiError(
      429,
      [{ code: CF_CODE.rateLimited, message: 'Please wait and consider throttling your request speed' }],
      {
        'retry-after': String(retryAfterSeconds),
      },
    ),
  notImplemented: (what: string) =>
    new CloudflareApiError(501, [
      { code: CF_CODE.notImplemented, message: `The Cloudflare stand-in does not implement ${what}` },
    ]),
};
