import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApiHandlers } from './api-handlers';
import { handleApiRequest, type PipelineParts } from './api-pipeline';
import { BroadcastSimulator } from './broadcast-simulator';
import { CONTROL_PREFIX, handleControlRequest } from './control-http';
import { FailureInjector } from './failure-injector';
import type { LiveInputRecord, StatusShape } from './live-input-model';
import { LiveInputStore, randomHex } from './live-input-store';
import { CLOUDFLARE_ENDPOINTS, statusView, type PublicEndpoints } from './live-input-views';
import { listOperations, loadOpenApiDocument } from './openapi-document';
import { CLOUDFLARE_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limiter';
import { RequestStats } from './request-stats';
import { RequestValidator } from './request-validator';
import { API_PREFIX, RouteTable } from './route-table';
import { StandInControl } from './stand-in-control';
import { WebhookNotifier, type WebhookTarget } from './webhook-notifier';

export interface CloudflareStandInOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Default 127.0.0.1: the control endpoints are unauthenticated. */
  host?: string;
  /** Default: random 32 hex characters. */
  accountId?: string;
  /** Default: random. */
  apiToken?: string;
  /** The stand-in's clock (ms since the epoch): rate-limit windows, lock-outs, timestamps. Default Date.now. */
  now?: () => number;
  /** Default Cloudflare's: 1,200 requests per 5 minutes per token, then 5 minutes of 429s. */
  rateLimit?: Partial<RateLimitOptions>;
  webhook?: WebhookTarget;
  /** Shape of live inputs' `status` (default `string`, the schema's enum). */
  statusShape?: StatusShape;
  /** Connecting a recorded input makes its live video appear at once (default false: tests call `makeLiveVideoAppear`). */
  liveVideoOnConnect?: boolean;
  /** The `customer-<code>.cloudflarestream.com` code in playback and WebRTC URLs. Default random. */
  customerCode?: string;
  /** Origin of playback, thumbnail and WebRTC URLs instead of Cloudflare's (e.g. a local HLS server); wins over customerCode. */
  deliveryOrigin?: string;
  /** RTMPS ingest URL handed out (default Cloudflare's). */
  rtmpsUrl?: string;
  /** How many API requests the log keeps (default 5,000; counters count all). */
  requestLogLimit?: number;
}

export interface CloudflareStandIn {
  /** Give it to the SDK: `new Cloudflare({ apiToken, baseURL })`. */
  baseURL: string;
  accountId: string;
  apiToken: string;
  control: StandInControl;
  close(): Promise<void>;
}

/** A local HTTP server that plays Cloudflare Stream's live-input API for the official SDK. */
export async function startCloudflareStandIn(options: CloudflareStandInOptions = {}): Promise<CloudflareStandIn> {
  const now = options.now ?? Date.now;
  const accountId = options.accountId ?? randomHex(16);
  const apiToken = options.apiToken ?? randomHex(20);
  const document = loadOpenApiDocument();
  const operations = listOperations(document);
  const endpoints: PublicEndpoints = {
    rtmpsUrl: options.rtmpsUrl ?? CLOUDFLARE_ENDPOINTS.rtmpsUrl,
    srtUrl: CLOUDFLARE_ENDPOINTS.srtUrl,
    deliveryOrigin: options.deliveryOrigin ?? `https://customer-${options.customerCode ?? randomHex(8)}.cloudflarestream.com`,
  };
  const statusShape = { default: options.statusShape ?? 'string' };
  const statusOf = (record: LiveInputRecord) => statusView(record.connection, record.statusShape ?? statusShape.default, now());

  const store = new LiveInputStore(now);
  const notifier = new WebhookNotifier(options.webhook);
  const simulator = new BroadcastSimulator(store, notifier, now, { liveVideoOnConnect: options.liveVideoOnConnect ?? false });
  const rateLimiter = new RateLimiter({ ...CLOUDFLARE_RATE_LIMIT, ...options.rateLimit }, now);
  const failures = new FailureInjector();
  const stats = new RequestStats(now, options.requestLogLimit ?? 5000);
  const pipeline: PipelineParts = {
    accountId,
    apiToken,
    routes: new RouteTable(operations),
    validator: new RequestValidator(document, operations),
    handlers: createApiHandlers({ store, simulator, endpoints, statusOf }),
    rateLimiter,
    failures,
    stats,
  };
  const control = new StandInControl({
    store,
    simulator,
    failures,
    stats,
    rateLimiter,
    notifier,
    endpoints,
    statusShape,
    statusOf,
  });

  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      process.stderr.write(`[cloudflare-stand-in] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: 'stand-in failure' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rawBody = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const answer = await handleControlRequest(control, method, url.pathname, rawBody);
      sendJson(res, answer.status, answer.body);
      return;
    }
    const result = handleApiRequest(pipeline, {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      idempotencyKey: firstHeader(req.headers['idempotency-key']),
      rawBody,
    });
    if (result.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (result.kind === 'html') {
      res
        .writeHead(result.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(result.html) })
        .end(result.html);
      return;
    }
    sendJson(res, result.status, result.body, result.headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseURL: `http://${host}:${address.port}${API_PREFIX}`,
    accountId,
    apiToken,
    control,
    async close() {
      await notifier.settle();
      for (const res of hanging) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
