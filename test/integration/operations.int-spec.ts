import request from 'supertest';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('operations endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports Postgres and Redis health', async () => {
    const res = await request(t.app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('exposes Prometheus metrics with request counts and streams by status', async () => {
    const app = sdk(t.app, (await t.createTenant('Metrics')).apiKey);
    await app.startStream({ userId: 'metrics@example.com' });
    const res = await request(t.app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/api\/managed-streams",status="201"\} 1/);
    expect(res.text).toMatch(/managed_streams\{status="connecting",strategy="relay"\} 1/);
    expect(res.text).toContain('process_cpu_seconds_total');
  });

  it('serves an OpenAPI document generated from the zod schemas', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/managed-streams',
        '/api/managed-streams/{streamId}',
        '/api/managed-streams/{streamId}/destinations',
        '/api/managed-streams/{streamId}/events',
        '/api/destinations',
        '/api/rtmp-relay/restream-destinations/{userId}/{streamId}',
        '/api/rtmp-relay/publish-auth',
        '/api/rtmp-relay/hls-ready',
        '/api/rtmp-relay/stream-status',
      ]),
    );
    const createBody = JSON.stringify(res.body.paths['/api/managed-streams'].post);
    expect(createBody).toContain('CreateManagedStream');
    expect(JSON.stringify(res.body.components.schemas)).toContain('restreamDestinations');
    expect((await request(t.app.getHttpServer()).get('/api/docs')).status).toBe(200);
  });

  it('keeps relay routes closed to the public', async () => {
    expect((await relay(t.app, 'x'.repeat(30)).post('/hls-ready', {})).status).toBe(401);
  });
});
