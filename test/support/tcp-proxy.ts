import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real sink, so a test can make a destination that accepts the
 * connection and then stops reading (`stall`), without touching the sink itself.
 */
export interface StallableProxy {
  port: number;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
  /** Drops every open connection, as a network cut would; new connections still go through. */
  cut(): void;
}

/** Pipes `client` both ways to a new connection to 127.0.0.1:`port`; either side ending ends both. */
export function joinToPort(client: Socket, port: number, onEnd: () => void = () => undefined): void {
  const upstream = createConnection({ host: '127.0.0.1', port });
  client.pipe(upstream).pipe(client);
  const end = (): void => {
    onEnd();
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end).on('close', end);
  upstream.on('error', end).on('close', end);
}

export async function startStallableProxy(targetPort: number): Promise<StallableProxy> {
  const clients = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((client) => {
    clients.add(client);
    joinToPort(client, targetPort, () => clients.delete(client));
    if (stalled) client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stall() {
      stalled = true;
      // Stop reading from the relay: its socket buffers fill and its writes block.
      for (const client of clients) client.pause();
    },
    resume() {
      stalled = false;
      for (const client of clients) client.resume();
    },
    cut() {
      for (const client of clients) client.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
      }),
  };
}
