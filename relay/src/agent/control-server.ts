import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RelayMetrics } from '../metrics/relay-metrics';

export interface NginxCallbacks {
  /** nginx-rtmp's on_publish: a 2xx lets the publish start, anything else refuses it. */
  onPublish(fields: URLSearchParams): Promise<boolean>;
  onPublishDone(fields: URLSearchParams): Promise<void>;
}

const MAX_BODY = 16 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) reject(new Error('body too large'));
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The agent's HTTP side: nginx callbacks (loopback only), /metrics and /health. */
export function createControlServer(
  callbacks: NginxCallbacks,
  metrics: RelayMetrics,
  log: (msg: string, extra?: object) => void,
): Server {
  const answer = (response: ServerResponse, status: number, body = ''): void => {
    response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  };
  return createServer((request, response) => {
    void (async () => {
      try {
        if (request.method === 'GET' && request.url === '/metrics') {
          response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
          return;
        }
        if (request.method === 'GET' && request.url === '/health') return answer(response, 200, 'ok');
        if (request.method === 'POST' && request.url?.startsWith('/nginx/')) {
          if (!isLoopback(request)) return answer(response, 403);
          const fields = new URLSearchParams(await readBody(request));
          if (request.url === '/nginx/on-publish') return answer(response, (await callbacks.onPublish(fields)) ? 200 : 403);
          if (request.url === '/nginx/on-publish-done') {
            await callbacks.onPublishDone(fields);
            return answer(response, 200);
          }
        }
        answer(response, 404);
      } catch (error) {
        log('control request failed', { error: error instanceof Error ? error.message : String(error) });
        // A failure to decide is a refusal: no publish without a yes from the API.
        answer(response, 500);
      }
    })();
  });
}
