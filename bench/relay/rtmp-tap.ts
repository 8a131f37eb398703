// A TCP proxy between the glasses (the publisher) and an RTMP server that notes when each video
// frame leaves the glasses: the "glass" end of the glass-to-destination latency. It reads the
// client-to-server bytes with the test kit's chunk reader; the bytes themselves pass untouched.
import { createConnection, createServer, Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ChunkReader, MessageType } from '../../relay/testkit/rtmp-chunks';

/** C0 + C1 + C2: what an RTMP client sends before its first chunk. */
const CLIENT_HANDSHAKE_BYTES = 1 + 1536 + 1536;

export interface RtmpTap {
  port: number;
  /** performance.now() when the publisher connected (null until it does): "publish start". */
  connectedAt: number | null;
  /** performance.now() at which the n-th coded video frame (sequence headers excluded) was sent. */
  videoSentAt: number[];
  /** Why the stream could not be followed (frames are still forwarded); null when all went well. */
  parseError: string | null;
  close(): Promise<void>;
}

export async function startRtmpTap(targetPort: number): Promise<RtmpTap> {
  const sockets = new Set<Socket>();
  const tap: RtmpTap = {
    port: 0,
    connectedAt: null,
    videoSentAt: [],
    parseError: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((client) => {
    // One publish per tap: frame n is the n-th frame of the file only on the first connection.
    if (tap.connectedAt !== null) tap.parseError ??= 'the publisher connected more than once';
    tap.connectedAt ??= performance.now();
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const reader = new ChunkReader();
    let handshakeLeft = CLIENT_HANDSHAKE_BYTES;
    client.on('data', (data: Buffer) => {
      // Timestamp before forwarding: this is when the glasses handed the frame to the network.
      const now = performance.now();
      if (!upstream.write(data)) client.pause();
      if (tap.parseError !== null) return;
      let chunk = data;
      if (handshakeLeft > 0) {
        const skipped = Math.min(handshakeLeft, chunk.length);
        handshakeLeft -= skipped;
        chunk = chunk.subarray(skipped);
      }
      if (chunk.length === 0) return;
      try {
        for (const message of reader.push(chunk)) {
          // AVC NALU packet: FLV video tag body with AVCPacketType 1.
          if (message.typeId === MessageType.Video && message.payload.length > 1 && message.payload[1] === 1) {
            tap.videoSentAt.push(now);
          }
        }
      } catch (error) {
        tap.parseError = (error as Error).message;
      }
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (data: Buffer) => {
      if (!client.write(data)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tap.port = (server.address() as { port: number }).port;
  return tap;
}
