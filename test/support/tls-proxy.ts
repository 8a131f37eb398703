import { createConnection } from 'node:net';
import { createServer as createTlsServer, type Server } from 'node:tls';

/** Terminates TLS in front of a plain TCP server: an rtmps:// destination made of a local RTMP sink. */
export async function startTlsProxy(
  targetPort: number,
  tls: { cert: string; key: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createTlsServer(tls, (client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
