import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { TEST_RELAY_TOKEN } from './test-config';

/** Small helpers so tests read as API calls, not HTTP plumbing. */
export function sdk(app: NestExpressApplication, apiKey: string) {
  const server = app.getHttpServer();
  const auth = { Authorization: `Bearer ${apiKey}` };
  return {
    post: (path: string, body?: unknown) =>
      request(server)
        .post(path)
        .set(auth)
        .send(body as object),
    get: (path: string) => request(server).get(path).set(auth),
    patch: (path: string, body: unknown) =>
      request(server)
        .patch(path)
        .set(auth)
        .send(body as object),
    delete: (path: string) => request(server).delete(path).set(auth),
    startStream: (body: Record<string, unknown>) => request(server).post('/api/managed-streams').set(auth).send(body),
  };
}

export function relay(app: NestExpressApplication, token = TEST_RELAY_TOKEN) {
  const server = app.getHttpServer();
  const auth = { 'x-relay-token': token };
  return {
    get: (path: string) => request(server).get(`/api/rtmp-relay${path}`).set(auth),
    post: (path: string, body: unknown) =>
      request(server)
        .post(`/api/rtmp-relay${path}`)
        .set(auth)
        .send(body as object),
  };
}

/** Splits an ingest URL into what nginx-rtmp's on_publish would report: path and key. */
export function publishOf(ingestUrl: string): { path: string; key: string } {
  const url = new URL(ingestUrl.replace(/^rtmps?:/, 'http:'));
  return { path: url.pathname.slice(1), key: url.searchParams.get('key') ?? '' };
}
