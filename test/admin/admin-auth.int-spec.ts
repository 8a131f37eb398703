import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import IORedis from 'ioredis';
import request from 'supertest';
import { sha256Hex } from '../../src/common/crypto/secret-hash';
import { QUEUES } from '../../src/queues/queues';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_PASSWORD, adminOverrides, sessionCookie, signIn } from './admin-client';

describe('admin sign-in, session, CSRF', () => {
  let t: TestApp;
  let logs = '';
  const uiDir = mkdtempSync(path.join(tmpdir(), 'admin-ui-'));
  const login = (body: object, ip = '198.51.100.7') =>
    request(t.app.getHttpServer()).post('/admin/api/login').set('X-Forwarded-For', ip).send(body);

  beforeAll(async () => {
    const logDestination = new PassThrough();
    logDestination.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    t = await startTestApp(await adminOverrides({ ADMIN_LOGIN_MAX_ATTEMPTS: '3', ADMIN_UI_DIR: uiDir, LOG_LEVEL: 'info' }), {
      logDestination,
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('refuses a wrong password or username with 401 and logs neither password', async () => {
    const wrongPassword = await login({ username: 'admin', password: 'not it' }, '198.51.100.20');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toMatchObject({ statusCode: 401, code: 'unauthorized', message: 'Wrong username or password' });
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    const wrongUser = await login({ username: 'root', password: ADMIN_PASSWORD }, '198.51.100.21');
    expect(wrongUser.status).toBe(401);
    expect(logs).toContain('Failed admin sign-in');
    expect(logs).not.toContain('not it');
    expect(logs).not.toContain(ADMIN_PASSWORD);
  });

  it('explains a malformed sign-in with 400', async () => {
    const res = await login({ username: 'admin' }, '198.51.100.22');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('password');
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie scoped to /admin, Secure behind HTTPS', async () => {
    const res = await login({ username: 'admin', password: ADMIN_PASSWORD }, '198.51.100.30');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: 'admin', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'])[0];
    expect(cookie).toMatch(/^restream_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).not.toContain('Secure');

    const overHttps = await login({ username: 'admin', password: ADMIN_PASSWORD }, '198.51.100.31').set(
      'X-Forwarded-Proto',
      'https',
    );
    expect(([] as string[]).concat(overHttps.headers['set-cookie'])[0]).toContain('Secure');
    expect(logs).not.toContain(sessionCookie(res).split('=')[1]);

    // The session lives in Redis for as long as the cookie, under a hash of the cookie value.
    const redis = new IORedis(t.config.REDIS_URL);
    const ttl = await redis.ttl(`restream:admin:session:${sha256Hex(sessionCookie(res).split('=')[1])}`);
    await redis.quit();
    expect(ttl).toBeGreaterThan(43_190);
    expect(ttl).toBeLessThanOrEqual(43_200);
  });

  it('answers the session and its CSRF token to the cookie holder only', async () => {
    const admin = await signIn(t.app);
    const session = await admin.get('/admin/api/session');
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ username: 'admin', csrfToken: admin.csrfToken });
    const anonymous = await request(t.app.getHttpServer()).get('/admin/api/session');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthorized');
    const forged = await request(t.app.getHttpServer()).get('/admin/api/session').set('Cookie', 'restream_admin=forged');
    expect(forged.status).toBe(401);
  });

  it('refuses a change without the CSRF token (403) and logs out with it', async () => {
    const admin = await signIn(t.app);
    const server = t.app.getHttpServer();
    const noToken = await request(server).post('/admin/api/logout').set('Cookie', admin.cookie);
    expect(noToken.status).toBe(403);
    expect(noToken.body).toMatchObject({ statusCode: 403, code: 'csrf_failed' });
    const wrongToken = await request(server).post('/admin/api/logout').set('Cookie', admin.cookie).set('x-csrf-token', 'nope');
    expect(wrongToken.status).toBe(403);

    const out = await admin.post('/admin/api/logout');
    expect(out.status).toBe(204);
    expect(([] as string[]).concat(out.headers['set-cookie'])[0]).toMatch(/^restream_admin=;.*Path=\/admin/);
    expect((await admin.get('/admin/api/session')).status).toBe(401);
  });

  it('limits failed sign-ins per address: 429 with Retry-After, even for the right password', async () => {
    const ip = '203.0.113.50';
    for (const username of ['admin', 'a', 'b']) {
      expect((await login({ username, password: 'guess' }, ip)).status).toBe(401);
    }
    const blocked = await login({ username: 'admin', password: ADMIN_PASSWORD }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another address is not affected.
    expect((await login({ username: 'admin', password: ADMIN_PASSWORD }, '203.0.113.51')).status).toBe(200);
  });

  it('limits failed sign-ins per username across addresses', async () => {
    for (const ip of ['203.0.113.60', '203.0.113.61', '203.0.113.62']) {
      expect((await login({ username: 'Operator', password: 'guess' }, ip)).status).toBe(401);
    }
    expect((await login({ username: 'operator', password: 'guess' }, '203.0.113.63')).status).toBe(429);
  });

  describe('bull-board at /admin/queues', () => {
    it('is 401 without a session, and sends a browser to the sign-in page', async () => {
      const server = t.app.getHttpServer();
      const api = await request(server).get('/admin/queues/api/queues');
      expect(api.status).toBe(401);
      expect(api.body.code).toBe('unauthorized');
      const page = await request(server).get('/admin/queues').set('Accept', 'text/html');
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fqueues');
    });

    it('shows every queue with a session', async () => {
      const admin = await signIn(t.app);
      const page = await admin.get('/admin/queues').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Restream queues</title>');
      expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
      const queues = await admin.get('/admin/queues/api/queues');
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name)).toContain('stream-lifecycle');
    });

    it('refuses a cross-site change and accepts one from its own page', async () => {
      const admin = await signIn(t.app);
      const server = t.app.getHttpServer();
      const crossSite = await request(server)
        .put('/admin/queues/api/queues/stream-lifecycle/pause')
        .set('Cookie', admin.cookie)
        .set('Sec-Fetch-Site', 'cross-site');
      expect(crossSite.status).toBe(403);
      expect(crossSite.body.code).toBe('csrf_failed');
      const ownPage = await request(server)
        .put('/admin/queues/api/queues/stream-lifecycle/resume')
        .set('Cookie', admin.cookie)
        .set('Sec-Fetch-Site', 'same-origin');
      expect(ownPage.status).toBe(200);
    });
  });

  describe('the built dashboard', () => {
    it('says how to build it while it is not built', async () => {
      const res = await request(t.app.getHttpServer()).get('/admin/streams');
      expect(res.status).toBe(503);
      expect(res.text).toContain('npm run build:admin-ui');
    });

    it('serves index.html for client routes, hashed assets with a long cache, and JSON 404s under /admin/api', async () => {
      mkdirSync(path.join(uiDir, 'assets'), { recursive: true });
      writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Dashboard</title>');
      writeFileSync(path.join(uiDir, 'assets', 'index-abc123.js'), 'console.log(1)');
      const server = t.app.getHttpServer();
      for (const route of ['/admin', '/admin/', '/admin/login', '/admin/streams/ms_1']) {
        const page = await request(server).get(route);
        expect([route, page.status, page.headers['cache-control']]).toEqual([route, 200, 'no-cache']);
        expect(page.text).toContain('<title>Dashboard</title>');
      }
      const asset = await request(server).get('/admin/assets/index-abc123.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await request(server).get('/admin/assets/gone-000.js')).status).toBe(404);
      const unknownApi = await request(server).get('/admin/api/nothing-here');
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.body.statusCode).toBe(404);
    });
  });
});

describe('admin dashboard without ADMIN_PASSWORD_HASH', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 saying how to configure sign-in', async () => {
    const server = t.app.getHttpServer();
    for (const res of [
      await request(server).post('/admin/api/login').send({ username: 'admin', password: 'x' }),
      await request(server).get('/admin/api/session'),
      await request(server).get('/admin/queues/api/queues'),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.message).toBe(
        'admin sign-in is not configured: set ADMIN_PASSWORD_HASH (npm run cli -- admin:hash-password)',
      );
    }
  });
});

describe('bull-board and QUEUES', () => {
  let t: TestApp;
  const queues = QUEUES as Record<string, string>;
  beforeAll(async () => {
    // A queue someone adds to QUEUES later, before any module registers it.
    queues.adminBoardProbe = 'admin-board-probe';
    t = await startTestApp(await adminOverrides());
  });
  afterAll(async () => {
    delete queues.adminBoardProbe;
    await t.close();
  });

  it('shows every queue named in QUEUES', async () => {
    const admin = await signIn(t.app);
    const res = await admin.get('/admin/queues/api/queues');
    expect(res.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(Object.values(queues).sort());
  });
});
