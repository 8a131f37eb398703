import { joinToPort } from './tcp-proxy';
import { createServer as createTlsServer, type Server } from 'node:tls';

/** Terminates TLS in front of a plain TCP server: an rtmps:// destination made of a local RTMP sink. */
export async function startTlsProxy(
  targetPort: number,
  tls: { cert: string; key: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createTlsServer(tls, (client) => joinToPort(client, targetPort));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
