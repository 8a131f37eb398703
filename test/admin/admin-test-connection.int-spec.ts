import { readdirSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { findFreePort, RtmpSinks, startRtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { recordingDir } from '../../relay/testkit/nginx-rtmp-conf';
import { testConnectionResponseSchema } from '../../src/admin/destinations/admin-destinations.schemas';
import { startTestApp, TestApp } from '../support/test-app';
import { adminOverrides, signIn } from './admin-client';

/** The connection test against real servers: nginx-rtmp, a server speaking HTTP, a closed port. */
describe('POST /admin/api/destinations/test-connection', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let nginx: RtmpSinks;
  let httpLike: Server;
  let httpPort: number;
  const sockets = new Set<Socket>();
  /** Every report also matches the response schema exactly (the dashboard's type comes from it). */
  const test = async (body: object) => {
    const res = await admin.post('/admin/api/destinations/test-connection', body);
    if (res.status === 200) expect(testConnectionResponseSchema.parse(res.body)).toEqual(res.body);
    return res;
  };

  beforeAll(async () => {
    // Local sinks stand in for YouTube: the host policy must let loopback through here.
    t = await startTestApp(await adminOverrides({ ALLOW_PRIVATE_DESTINATIONS: 'true' }));
    admin = await signIn(t.app);
    nginx = await startRtmpSinks({ apps: ['live'] });
    httpLike = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => httpLike.listen(0, '127.0.0.1', resolve));
    httpPort = (httpLike.address() as { port: number }).port;
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => httpLike.close(resolve));
    await nginx.stop({ removeFiles: true });
    await t.close();
  });

  it('completes the RTMP handshake with nginx-rtmp and publishes nothing', async () => {
    const res = await test({ ingestUrl: `rtmp://127.0.0.1:${nginx.port}/live` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      url: `rtmp://127.0.0.1:${nginx.port}/live`,
      resolvedAddress: '127.0.0.1',
      tcpConnectMs: expect.any(Number),
      tls: false,
      rtmpHandshake: 'ok',
    });
    expect(res.body.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${nginx.port} accepted the RTMP handshake`));
    expect(res.body.message).toContain('nothing was published');
    // nginx records every publish: nothing was recorded and no publish was logged.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(recordingDir(nginx.workDir, 'live'))).toEqual([]);
    expect(nginx.errorLog()).not.toMatch(/publish: name=/);
  });

  it('tests a saved destination by id, never showing its key', async () => {
    const app = await t.createTenant('Probe app');
    const saved = await admin.post(`/admin/api/apps/${app.id}/destinations`, {
      userId: 'probe@example.com',
      name: 'Local sink',
      ingestUrl: `rtmp://127.0.0.1:${nginx.port}/live`,
      streamKey: 'probe-secret-key-7777',
    });
    expect(saved.status).toBe(201);
    const res = await test({ appId: app.id, destinationId: saved.body.id });
    expect(res.body).toMatchObject({ ok: true, rtmpHandshake: 'ok', url: `rtmp://127.0.0.1:${nginx.port}/live` });
    expect(JSON.stringify(res.body)).not.toContain('probe-secret-key');
    const pasted = await test({ ingestUrl: `rtmp://127.0.0.1:${nginx.port}/live/probe-secret-key-7777` });
    expect(pasted.body.url).toBe(`rtmp://127.0.0.1:${nginx.port}/live/****7777`);
    expect((await test({ appId: app.id, destinationId: 'sd_nope' })).status).toBe(404);
  });

  it('says clearly when the server speaks something else', async () => {
    const res = await test({ ingestUrl: `rtmp://127.0.0.1:${httpPort}/live` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, rtmpHandshake: 'failed', tcpConnectMs: expect.any(Number), tls: false });
    expect(res.body.message).toBe(
      `127.0.0.1:${httpPort}: the server answered "HTTP/1.1 400 Bad Request" (an HTTP server, not an RTMP ingest), which is not RTMP`,
    );
  });

  it('says clearly when nothing listens on the port', async () => {
    const closedPort = await findFreePort();
    const res = await test({ ingestUrl: `rtmp://127.0.0.1:${closedPort}/live` });
    expect(res.body).toEqual({
      ok: false,
      url: `rtmp://127.0.0.1:${closedPort}/live`,
      resolvedAddress: '127.0.0.1',
      tcpConnectMs: null,
      tls: false,
      rtmpHandshake: 'failed',
      message: `connection refused by 127.0.0.1:${closedPort}: nothing accepts connections on that port`,
    });
  });

  it('reports a failed TLS handshake for rtmps:// to a server without TLS', async () => {
    // (nginx-rtmp would just wait for more handshake bytes: the same report, after the 5 s timeout.)
    const res = await test({ ingestUrl: `rtmps://127.0.0.1:${httpPort}/live` });
    expect(res.body).toMatchObject({ ok: false, tls: false, tlsError: expect.any(String), rtmpHandshake: 'failed' });
    expect(res.body.message).toContain('TLS with 127.0.0.1 failed');
  });

  it('explains unresolvable hosts and non-RTMP URLs', async () => {
    const unresolvable = await test({ ingestUrl: 'rtmp://no-such-host.invalid/live' });
    expect(unresolvable.body).toMatchObject({ ok: false, resolvedAddress: null, rtmpHandshake: 'failed' });
    expect(unresolvable.body.message).toContain('could not resolve the host "no-such-host.invalid"');
    const http = await test({ ingestUrl: 'https://example.com/live' });
    expect(http.status).toBe(422);
    expect(http.body.issues[0]).toMatchObject({
      path: 'ingestUrl',
      message: expect.stringContaining('only rtmp:// and rtmps://'),
    });
  });
});
