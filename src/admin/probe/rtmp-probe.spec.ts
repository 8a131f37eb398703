import { createServer, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../../../test/admin/fixtures/self-signed-tls';
import { HANDSHAKE_SIZE } from './rtmp-handshake';
import { RtmpProbe } from './rtmp-probe';

/** A tiny local TCP server; `onConnection` plays whatever the test needs the far end to be. */
async function listen(onConnection: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  // close() waits for open connections; the tests end theirs.
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  const close = server.close.bind(server);
  server.close = (callback) => {
    sockets.forEach((socket) => socket.destroy());
    return close(callback);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** Answers like an RTMP server doing the simple handshake; counts every byte the client sent until it hangs up. */
function fakeRtmpServer(version = [1, 2, 3, 4]) {
  let hangUp: (bytes: number) => void = () => undefined;
  const clientBytes = new Promise<number>((resolve) => (hangUp = resolve));
  const received: Buffer[] = [];
  const onConnection = (socket: Socket) => {
    socket.on('close', () => hangUp(Buffer.concat(received).length));
    let buffer = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      if (!answered && buffer.length >= 1 + HANDSHAKE_SIZE) {
        answered = true;
        const s1 = Buffer.alloc(HANDSHAKE_SIZE, 5);
        Buffer.from(version).copy(s1, 4);
        socket.write(Buffer.concat([Buffer.from([3]), s1, buffer.subarray(1, 1 + HANDSHAKE_SIZE)]));
      }
    });
    socket.on('error', () => undefined);
  };
  return { onConnection, clientBytes };
}

const target = (port: number, protocol: 'rtmp' | 'rtmps' = 'rtmp') => ({
  protocol,
  host: '127.0.0.1',
  address: '127.0.0.1',
  port,
});

describe('RtmpProbe', () => {
  const servers: Server[] = [];
  const start = async (onConnection: (socket: Socket) => void) => {
    const started = await listen(onConnection);
    servers.push(started.server);
    return started.port;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  const sut = new RtmpProbe();

  it('completes the handshake with an RTMP server and sends nothing after C2', async () => {
    const rtmp = fakeRtmpServer();
    const port = await start(rtmp.onConnection);
    const report = await sut.probe(target(port), { timeoutMs: 2000 });
    expect(report).toEqual({
      ok: true,
      tcpConnectMs: expect.any(Number),
      tls: false,
      rtmpHandshake: 'ok',
      serverVersion: '1.2.3.4',
      message: `127.0.0.1:${port} accepted the RTMP handshake (server version 1.2.3.4); nothing was published`,
    });
    expect(await rtmp.clientBytes).toBe(1 + HANDSHAKE_SIZE + HANDSHAKE_SIZE);
  });

  it('says what answered when the server speaks something else', async () => {
    const port = await start((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const report = await sut.probe(target(port), { timeoutMs: 2000 });
    expect(report).toMatchObject({ ok: false, rtmpHandshake: 'failed', tls: false, tcpConnectMs: expect.any(Number) });
    expect(report.message).toBe(
      `127.0.0.1:${port}: the server answered "HTTP/1.1 400 Bad Request" (an HTTP server, not an RTMP ingest), which is not RTMP`,
    );
  });

  it('reports a server that hangs up, and one that never answers', async () => {
    const closing = await start((socket) => socket.destroy());
    expect((await sut.probe(target(closing), { timeoutMs: 2000 })).message).toMatch(
      /closed the connection during the RTMP handshake \(after 0 bytes\)/,
    );
    const silent = await start((socket) => socket.on('error', () => undefined));
    const report = await sut.probe(target(silent), { timeoutMs: 100 });
    expect(report).toMatchObject({ ok: false, rtmpHandshake: 'failed' });
    expect(report.message).toBe(
      `127.0.0.1:${silent} accepted the connection but did not complete the RTMP handshake within 0.1 s`,
    );
  });

  it('reports a closed port as refused, with no connect time', async () => {
    const port = await start(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const report = await sut.probe(target(port), { timeoutMs: 2000 });
    expect(report).toEqual({
      ok: false,
      tcpConnectMs: null,
      tls: false,
      rtmpHandshake: 'failed',
      message: `connection refused by 127.0.0.1:${port}: nothing accepts connections on that port`,
    });
  });

  it('reports a TLS failure for rtmps:// against a server without TLS', async () => {
    const port = await start((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const report = await sut.probe(target(port, 'rtmps'), { timeoutMs: 2000 });
    expect(report).toMatchObject({ ok: false, tls: false, rtmpHandshake: 'failed', tlsError: expect.any(String) });
    expect(report.message).toContain('TLS with 127.0.0.1 failed');
  });

  describe('rtmps://', () => {
    async function tlsRtmpServer() {
      const rtmp = fakeRtmpServer([9, 9, 9, 9]);
      const server = createTlsServer({ cert: TEST_TLS_CERT, key: TEST_TLS_KEY }, rtmp.onConnection);
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return (server.address() as { port: number }).port;
    }

    it('negotiates TLS with a trusted certificate, then completes the handshake', async () => {
      const port = await tlsRtmpServer();
      const report = await sut.probe(target(port, 'rtmps'), { timeoutMs: 2000, ca: TEST_TLS_CERT });
      expect(report).toMatchObject({ ok: true, tls: true, rtmpHandshake: 'ok', serverVersion: '9.9.9.9' });
      expect(report.message).toBe(
        `127.0.0.1:${port} accepted the RTMP handshake over TLS (server version 9.9.9.9); nothing was published`,
      );
    });

    it('refuses a certificate nobody vouches for, and says so', async () => {
      const port = await tlsRtmpServer();
      const report = await sut.probe(target(port, 'rtmps'), { timeoutMs: 2000 });
      expect(report).toMatchObject({ ok: false, tls: false, rtmpHandshake: 'failed', tcpConnectMs: expect.any(Number) });
      expect(report.tlsError).toMatch(/self-signed certificate/);
      expect(report.message).toContain('TLS with 127.0.0.1 failed');
    });
  });
});
