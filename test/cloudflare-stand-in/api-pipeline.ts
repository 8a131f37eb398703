import type { ApiRequest, ApiResponse } from './api-handlers';
import { CloudflareApiError, cloudflareErrors, failureEnvelope, CF_CODE } from './cloudflare-errors';
import type { FailureInjector } from './failure-injector';
import { STREAM_LIST_OPERATION } from './openapi-document';
import type { RateLimiter } from './rate-limiter';
import type { RequestValidator } from './request-validator';
import type { RequestOutcome, RequestStats } from './request-stats';
import type { RouteTable } from './route-table';

export interface IncomingApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  rawBody: string;
}

export type PipelineResult =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'html'; status: number; html: string }
  | { kind: 'hang' };

export interface PipelineParts {
  accountId: string;
  apiToken: string;
  routes: RouteTable;
  validator: RequestValidator;
  handlers: Record<string, (request: ApiRequest) => ApiResponse>;
  rateLimiter: RateLimiter;
  failures: FailureInjector;
  stats: RequestStats;
}

/** Query parameters of `client.stream.list` the stand-in does not filter on: refused, not silently ignored. */
const UNFILTERED_VIDEO_QUERY = ['id', 'creator', 'end', 'start', 'search', 'type', 'name', 'video_name'];

/**
 * One API request, in Cloudflare's order: injected failure, authentication, rate limit, route,
 * account, parameters, body, then the operation itself.
 */
export function handleApiRequest(parts: PipelineParts, request: IncomingApiRequest): PipelineResult {
  let operationId: string | null = null;
  let body: unknown = undefined;
  const record = (status: number | null, outcome: RequestOutcome) =>
    parts.stats.record({ method: request.method, path: request.path, query: request.query, operationId, body, status, outcome });

  const injected = parts.failures.take(request.method, request.path);
  if (injected?.kind === 'hang') {
    record(null, 'hanging');
    return { kind: 'hang' };
  }
  if (injected?.edgeHtml && injected.status >= 500) {
    record(injected.status, 'injected');
    return { kind: 'html', status: injected.status, html: edgeErrorPage(injected.status) };
  }
  if (injected) {
    const error = injectedError(injected.status, injected.retryAfterSeconds);
    record(error.status, 'injected');
    return errorAnswer(error);
  }

  let rateHeaders: Record<string, string> = {};
  try {
    const token = bearerToken(request.authorization);
    if (token !== parts.apiToken) throw cloudflareErrors.authentication();
    const decision = parts.rateLimiter.admit(token);
    const policy = `"default";q=${parts.rateLimiter.policy.limit};w=${parts.rateLimiter.policy.windowMs / 1000}`;
    if (!decision.allowed) {
      const error = cloudflareErrors.rateLimited(decision.retryAfterSeconds);
      record(error.status, 'rate-limited');
      return errorAnswer(error, { 'ratelimit-policy': policy });
    }
    rateHeaders = { ratelimit: `"default";r=${decision.remaining};t=${decision.resetSeconds}`, 'ratelimit-policy': policy };

    const match = parts.routes.match(request.method, request.path);
    if (match.kind === 'no-route') throw cloudflareErrors.noRoute();
    if (match.kind === 'method-not-allowed') throw cloudflareErrors.methodNotAllowed(request.method);
    operationId = match.operation.operationId;
    checkAccount(parts.accountId, match.pathParams.account_id, request.path);

    body = parseBody(request.rawBody);
    const query: Record<string, unknown> = { ...request.query };
    const issues = parts.validator.validateParameters(operationId, match.pathParams, query);
    if (parts.validator.hasBodySchema(operationId)) {
      if (body === undefined) issues.push({ field: '(body)', message: '(body): a JSON body is required' });
      else if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        issues.push({ field: '(body)', message: '(body): must be a JSON object' });
      } else issues.push(...parts.validator.validateBody(operationId, body));
    }
    if (issues.length > 0) throw cloudflareErrors.invalid(issues.map((issue) => issue.message));
    const unfiltered =
      operationId === STREAM_LIST_OPERATION.operationId
        ? parts.validator.unknownQueryParameters(operationId, query).filter((q) => UNFILTERED_VIDEO_QUERY.includes(q))
        : [];
    if (unfiltered.length > 0) throw cloudflareErrors.notImplemented(`the video list filter(s) ${unfiltered.join(', ')}`);

    const answer = parts.handlers[operationId]({
      pathParams: match.pathParams,
      query,
      body,
      idempotencyKey: request.idempotencyKey,
    });
    record(answer.status, 'answered');
    return { kind: 'answer', status: answer.status, headers: rateHeaders, body: answer.body };
  } catch (error) {
    const refusal = error instanceof CloudflareApiError ? error : internalError(error);
    record(refusal.status, 'rejected');
    return errorAnswer(refusal, rateHeaders);
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer (\S+)$/i.exec(authorization.trim());
  if (!match) throw cloudflareErrors.malformedAuthorization();
  return match[1];
}

/** A well-formed account id the token does not own reads as an authentication error; a malformed one as a routing error. */
function checkAccount(accountId: string, requested: string | undefined, path: string): void {
  if (requested === accountId) return;
  if (requested !== undefined && /^[0-9a-f]{32}$/.test(requested)) throw cloudflareErrors.authentication();
  throw cloudflareErrors.notRoutable(path);
}

function parseBody(rawBody: string): unknown {
  if (rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw cloudflareErrors.malformedJson();
  }
}

function injectedError(status: number, retryAfterSeconds: number | undefined): CloudflareApiError {
  if (status === 429) return cloudflareErrors.rateLimited(retryAfterSeconds ?? 60);
  if (status === 401 || status === 403) {
    return new CloudflareApiError(status, [{ code: CF_CODE.authentication, message: 'Authentication error' }]);
  }
  return new CloudflareApiError(status, [{ code: CF_CODE.internal, message: 'Internal Server Error' }]);
}

function edgeErrorPage(status: number): string {
  return `<html>\n<head><title>${status} Server Error</title></head>\n<body>\n<center><h1>${status} Server Error</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n`;
}

function internalError(error: unknown): CloudflareApiError {
  process.stderr.write(
    `[cloudflare-stand-in] unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return new CloudflareApiError(500, [{ code: CF_CODE.internal, message: 'Internal Server Error' }]);
}

function errorAnswer(error: CloudflareApiError, headers: Record<string, string> = {}): PipelineResult {
  return { kind: 'answer', status: error.status, headers: { ...headers, ...error.headers }, body: failureEnvelope(error.errors) };
}
