import { PassThrough } from 'node:stream';
import request from 'supertest';
import { sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import { eventually, prismaOf, startWebhookReceiver } from '../jobs/job-test-kit';
import { adminOverrides, signIn } from './admin-client';

const TYPED_SECRET = 'typed-webhook-secret-0001-QRST';
const NEW_SECRET = 'replaced-webhook-secret-0002-UVWX';

/** The dashboard's Apps API against the real service, Postgres and Redis; webhooks to a real receiver. */
describe('admin apps API', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let logs = '';
  // Every body the API sent in this file: no API key or typed secret may be in any but the one response.
  const seen: string[] = [];
  const remember = (response: request.Response) => {
    seen.push(response.text);
    return response;
  };

  beforeAll(async () => {
    const logDestination = new PassThrough();
    logDestination.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    t = await startTestApp(
      await adminOverrides({
        LOG_LEVEL: 'debug',
        ALLOW_PRIVATE_DESTINATIONS: 'true',
        WEBHOOK_DISPATCH_INTERVAL_MS: '150',
        WEBHOOK_BACKOFF_BASE_MS: '200',
      }),
      { logDestination },
    );
    admin = await signIn(t.app);
  });
  afterAll(() => t.close());

  const listApps = async () => (remember(await admin.get('/admin/api/apps')).body as { apps: { id: string }[] }).apps;

  it('needs a session for every route and the CSRF token for every change', async () => {
    const server = t.app.getHttpServer();
    const anonymous = [
      request(server).get('/admin/api/apps'),
      request(server).post('/admin/api/apps').send({ name: 'Nope' }),
      request(server).patch('/admin/api/apps/app_x').send({ recordByDefault: true }),
      request(server).post('/admin/api/apps/app_x/rotate-key'),
    ];
    for (const response of await Promise.all(anonymous))
      expect([response.status, response.body.code]).toEqual([401, 'unauthorized']);

    const withoutCsrf = [
      request(server).post('/admin/api/apps').set('Cookie', admin.cookie).send({ name: 'Nope' }),
      request(server).patch('/admin/api/apps/app_x').set('Cookie', admin.cookie).send({ recordByDefault: true }),
      request(server).post('/admin/api/apps/app_x/rotate-key').set('Cookie', admin.cookie),
      request(server).post('/admin/api/apps').set('Cookie', admin.cookie).set('x-csrf-token', 'forged').send({ name: 'Nope' }),
    ];
    for (const response of await Promise.all(withoutCsrf))
      expect([response.status, response.body.code]).toEqual([403, 'csrf_failed']);
    expect((await listApps()).length).toBe(0);
  });

  it('creates an app: its API key is in that one response, works, and is stored only as a hash', async () => {
    const created = remember(await admin.post('/admin/api/apps', { name: 'Vision Pro', packageName: 'com.example.vision' }));
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toEqual({
      app: {
        id: expect.stringMatching(/^app_/),
        name: 'Vision Pro',
        packageName: 'com.example.vision',
        webhookUrl: null,
        webhookSecretMasked: null,
        recordByDefault: false,
        defaultReconnectWindowSeconds: 60,
        createdAt: expect.any(String),
      },
      apiKey: expect.stringMatching(/^rsk_/),
      webhookSecret: null,
    });
    const { apiKey } = created.body as { apiKey: string };
    expect((await sdk(t.app, apiKey).get('/api/managed-streams')).status).toBe(200);

    expect(await listApps()).toEqual([created.body.app]);
    const stored = await prismaOf(t.app).app.findUniqueOrThrow({ where: { id: created.body.app.id } });
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    expect(seen.filter((body) => body.includes(apiKey))).toEqual([created.text]);
    expect(logs).not.toContain(apiKey);
  });

  it('derives the package name from the name, and refuses a taken one with 409', async () => {
    const created = remember(await admin.post('/admin/api/apps', { name: 'My Glasses App' }));
    expect([created.status, created.body.app.packageName]).toEqual([201, 'my-glasses-app']);
    const again = remember(await admin.post('/admin/api/apps', { name: 'Other', packageName: 'my-glasses-app' }));
    expect([again.status, again.body.code, again.body.message]).toEqual([
      409,
      'package_name_taken',
      'An app with package name "my-glasses-app" already exists',
    ]);
  });

  it('answers bad input with a 4xx naming each field', async () => {
    const bad = remember(
      await admin.post('/admin/api/apps', {
        name: '',
        packageName: 'has spaces',
        webhookUrl: 'ftp://hooks.example.com',
        webhookSecret: 'short',
        recordByDefault: 'yes',
        defaultReconnectWindowSeconds: 601,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'packageName', message: 'letters, digits, ".", "_" or "-", at most 100' },
      { path: 'webhookUrl', message: 'must be an http:// or https:// URL' },
      { path: 'webhookSecret', message: 'must be at least 16 characters' },
      { path: 'recordByDefault', message: expect.stringContaining('expected boolean') },
      { path: 'defaultReconnectWindowSeconds', message: 'must be at most 600 seconds' },
    ]);
    const [app] = await listApps();
    const patches: [string, object, number, string][] = [
      [app.id, {}, 400, 'nothing to change'],
      [app.id, { defaultReconnectWindowSeconds: 2.5 }, 400, 'whole number'],
      [app.id, { webhookSecret: TYPED_SECRET }, 422, 'Set a webhook URL before its secret'],
      [app.id, { webhookUrl: null, webhookSecret: TYPED_SECRET }, 400, 'a webhook secret needs a webhook URL'],
      [app.id, { webhookSecret: 'has a space in it, sixteen+' }, 400, 'no spaces'],
      ['app_missing', { recordByDefault: true }, 404, 'No app "app_missing"'],
      ['x'.repeat(65), { recordByDefault: true }, 400, 'appId'],
    ];
    for (const [id, body, status, message] of patches) {
      const response = remember(await admin.patch(`/admin/api/apps/${id}`, body));
      expect([JSON.stringify(body), response.status, response.body.message]).toEqual([
        JSON.stringify(body),
        status,
        expect.stringContaining(message),
      ]);
    }
    const notJson = await admin.post('/admin/api/apps').set('Content-Type', 'application/json').send('{"name":');
    expect(notJson.status).toBe(400);
    expect(remember(await admin.post('/admin/api/apps/app_missing/rotate-key')).status).toBe(404);
  });

  it('rotates the key: the new one is shown once and works, the old one stops at once', async () => {
    const created = remember(await admin.post('/admin/api/apps', { name: 'Rotator' }));
    const oldKey = created.body.apiKey as string;
    expect((await sdk(t.app, oldKey).get('/api/managed-streams')).status).toBe(200); // now in the auth cache

    const rotated = remember(await admin.post(`/admin/api/apps/${created.body.app.id}/rotate-key`));
    expect([rotated.status, rotated.headers['cache-control']]).toEqual([200, 'no-store']);
    expect(rotated.body).toEqual({ app: created.body.app, apiKey: expect.stringMatching(/^rsk_/) });
    const newKey = rotated.body.apiKey as string;
    expect(newKey).not.toBe(oldKey);

    const refused = await sdk(t.app, oldKey).get('/api/managed-streams');
    expect([refused.status, refused.body.message]).toEqual([401, 'Invalid API key']);
    expect((await sdk(t.app, newKey).get('/api/managed-streams')).status).toBe(200);
    expect(seen.filter((body) => body.includes(newKey))).toEqual([rotated.text]);
    expect(logs).not.toContain(newKey);
  });

  it('sets a webhook URL and a typed secret: never returned, masked, and the deliveries are signed with it', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const created = remember(await admin.post('/admin/api/apps', { name: 'Hooked' }));
      const { id } = created.body.app as { id: string };
      const set = remember(await admin.patch(`/admin/api/apps/${id}`, { webhookUrl: receiver.url, webhookSecret: TYPED_SECRET }));
      expect([set.status, set.headers['cache-control']]).toEqual([200, 'no-store']);
      expect(set.body).toEqual({
        app: { ...created.body.app, webhookUrl: receiver.url, webhookSecretMasked: '****QRST' },
        webhookSecret: null,
      });

      const started = await sdk(t.app, created.body.apiKey).startStream({ userId: 'hooked@example.com' });
      expect(started.status).toBe(201);
      const receipt = await eventually('a signed delivery', async () => receiver.receipts[0]);
      const verify = (r: typeof receipt, secret: string) =>
        verifyWebhookSignature(String(r.headers['x-restream-signature']), r.rawBody, secret, Math.floor(Date.now() / 1000));
      expect(verify(receipt, TYPED_SECRET)).toEqual({ valid: true });

      // A new secret replaces it at once; a URL change alone keeps it.
      remember(await admin.patch(`/admin/api/apps/${id}`, { webhookSecret: NEW_SECRET }));
      const count = receiver.receipts.length;
      expect((await sdk(t.app, created.body.apiKey).delete(`/api/managed-streams/${started.body.streamId}`)).status).toBe(200);
      const later = await eventually('a delivery after the change', async () => receiver.receipts[count]);
      expect([verify(later, NEW_SECRET), verify(later, TYPED_SECRET).valid]).toEqual([{ valid: true }, false]);
      const moved = remember(await admin.patch(`/admin/api/apps/${id}`, { webhookUrl: `${receiver.url}/v2` }));
      expect(moved.body.app).toMatchObject({ webhookUrl: `${receiver.url}/v2`, webhookSecretMasked: '****UVWX' });

      // Off: URL and secret are both forgotten.
      const off = remember(await admin.patch(`/admin/api/apps/${id}`, { webhookUrl: null }));
      expect(off.body.app).toMatchObject({ webhookUrl: null, webhookSecretMasked: null });
      const stored = await prismaOf(t.app).app.findUniqueOrThrow({ where: { id } });
      expect([stored.webhookUrl, stored.webhookSecretCipher]).toEqual([null, null]);

      for (const secret of [TYPED_SECRET, NEW_SECRET]) {
        expect(seen.filter((body) => body.includes(secret))).toEqual([]);
        expect(logs).not.toContain(secret);
      }
    } finally {
      await receiver.close();
    }
  });

  it('generates a secret for a first webhook URL given without one, and shows it that once', async () => {
    const created = remember(
      await admin.post('/admin/api/apps', { name: 'Generated', webhookUrl: 'https://hooks.example.com/r' }),
    );
    const secret = created.body.webhookSecret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(created.body.app.webhookSecretMasked).toBe(`****${secret.slice(-4)}`);
    const later = remember(
      await admin.patch(`/admin/api/apps/${created.body.app.id}`, { webhookUrl: 'https://hooks.example.com/s' }),
    );
    expect(later.body.webhookSecret).toBeNull();
    expect(seen.filter((body) => body.includes(secret))).toEqual([created.text]);
  });

  it("keeps recordByDefault and the default reconnect window; a stream that does not say takes the app's window", async () => {
    const created = remember(await admin.post('/admin/api/apps', { name: 'Defaults', recordByDefault: true }));
    expect(created.body.app).toMatchObject({ recordByDefault: true, defaultReconnectWindowSeconds: 60 });
    const { id } = created.body.app as { id: string };
    const app = sdk(t.app, created.body.apiKey);
    expect((await app.get('/api/managed-streams')).status).toBe(200); // the app is now in the auth cache
    const patched = remember(
      await admin.patch(`/admin/api/apps/${id}`, {
        recordByDefault: false,
        defaultReconnectWindowSeconds: 15,
        name: 'Defaults 2',
      }),
    );
    expect(patched.body.app).toMatchObject({ name: 'Defaults 2', recordByDefault: false, defaultReconnectWindowSeconds: 15 });

    const implicit = await app.startStream({ userId: 'defaults-a@example.com' });
    expect([implicit.status, implicit.body.reconnectWindowSeconds]).toEqual([201, 15]);
    const explicit = await app.startStream({ userId: 'defaults-b@example.com', reconnectWindowSeconds: 0 });
    expect([explicit.status, explicit.body.reconnectWindowSeconds]).toEqual([201, 0]);
  });
});
