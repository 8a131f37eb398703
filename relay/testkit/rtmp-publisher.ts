import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { decodeAmf0, encodeAmf0, type AmfObject, type AmfValue } from './amf0';
import type { FlvTag } from './flv-tags';
import { ChunkReader, encodeChunks, MessageType, setChunkSizeMessage, type RtmpMessage } from './rtmp-chunks';
import { parseRtmpUrl } from './rtmp-url';

/**
 * A minimal RTMP publisher (plain handshake, connect, createStream, publish, media). It exists because
 * every FFmpeg-based publisher rewrites a backward timestamp step into frozen DTS; this one sends each
 * tag's timestamp as an absolute (type-0) chunk header, so the server sees the jump as the glasses made it.
 */

export interface RtmpPublisher {
  writeTag(tag: FlvTag): Promise<void>;
  /** FCUnpublish and deleteStream, then close the socket. */
  close(): Promise<void>;
  /** Destroys the socket without a word to the server, like a phone losing its uplink mid-write. */
  abandon(): void;
}

const HANDSHAKE_SIZE = 1536;
const OUT_CHUNK_SIZE = 4096;
const CSID_COMMAND = 3;
const CSID_STREAM_COMMAND = 5;
const CSID_BY_KIND = { audio: 4, video: 6, script: 5 } as const;
const TYPE_BY_KIND = { audio: MessageType.Audio, video: MessageType.Video, script: MessageType.DataAmf0 } as const;
const PING_REQUEST = 6;
const PING_RESPONSE = 7;

interface Command {
  name: string;
  transaction: number;
  args: AmfValue[];
}

export async function connectRtmpPublisher(url: string, timeoutMs = 5000): Promise<RtmpPublisher> {
  const target = parseRtmpUrl(url);
  const socket = connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  const session = new Session(socket, timeoutMs);
  try {
    await session.handshake();
    session.send(setChunkSizeMessage(OUT_CHUNK_SIZE));
    session.command(0, 'connect', 1, {
      app: target.app,
      type: 'nonprivate',
      flashVer: 'FMLE/3.0 (compatible; glasses-testkit)',
      tcUrl: target.tcUrl,
    });
    expectResult(await session.waitForCommand((c) => c.transaction === 1), 'connect');
    session.command(0, 'releaseStream', 2, null, target.streamName);
    session.command(0, 'FCPublish', 3, null, target.streamName);
    session.command(0, 'createStream', 4, null);
    const created = expectResult(await session.waitForCommand((c) => c.transaction === 4), 'createStream');
    const streamId = typeof created.args[1] === 'number' ? created.args[1] : 1;
    session.command(streamId, 'publish', 5, null, target.streamName, 'live');
    const status = await session.waitForCommand((c) => c.name === 'onStatus' && statusCode(c).startsWith('NetStream.Publish'));
    if (statusCode(status) !== 'NetStream.Publish.Start')
      throw new Error(`publish refused: ${statusCode(status)} ${describe(status)}`);
    return {
      writeTag: (tag) => session.sendMedia(tag, streamId),
      close: () => session.close(streamId),
      abandon: () => session.abandon(),
    };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

class Session {
  private readonly reader = new ChunkReader();
  private readonly commands: Command[] = [];
  private readonly listeners = new Set<() => void>();
  private handshakeBytes: Buffer[] = [];
  private handshakeLength = 0;
  private inHandshake = true;
  private failure: Error | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('RTMP connection closed')));
  }

  async handshake(): Promise<void> {
    await this.until(() => !this.socket.connecting, 'TCP connect');
    const c1 = Buffer.concat([Buffer.alloc(8), randomBytes(HANDSHAKE_SIZE - 8)]); // zero version: plain handshake
    this.socket.write(Buffer.concat([Buffer.from([3]), c1]));
    await this.until(() => this.handshakeLength >= 1 + 2 * HANDSHAKE_SIZE, 'handshake');
    const all = Buffer.concat(this.handshakeBytes);
    this.inHandshake = false;
    this.socket.write(all.subarray(1, 1 + HANDSHAKE_SIZE)); // C2 echoes S1
    const rest = all.subarray(1 + 2 * HANDSHAKE_SIZE);
    if (rest.length) this.onMessages(this.reader.push(rest));
  }

  send(message: RtmpMessage): boolean {
    return this.socket.write(encodeChunks(message, OUT_CHUNK_SIZE));
  }

  command(streamId: number, name: string, transaction: number, ...args: AmfValue[]): void {
    const csid = streamId === 0 ? CSID_COMMAND : CSID_STREAM_COMMAND;
    this.send({ csid, typeId: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0(name, transaction, ...args) });
  }

  async sendMedia(tag: FlvTag, streamId: number): Promise<void> {
    if (this.failure) throw this.failure;
    const payload = tag.kind === 'script' ? Buffer.concat([encodeAmf0('@setDataFrame'), tag.data]) : tag.data;
    const flushed = this.send({
      csid: CSID_BY_KIND[tag.kind],
      typeId: TYPE_BY_KIND[tag.kind],
      streamId,
      timestamp: tag.timestampMs,
      payload,
    });
    if (!flushed) await this.until(() => this.socket.writableLength === 0, 'socket drain', 30_000);
  }

  async waitForCommand(match: (c: Command) => boolean): Promise<Command> {
    await this.until(() => this.commands.some(match), 'server reply');
    const found = this.commands.find(match);
    if (!found) throw new Error('RTMP server reply vanished');
    return found;
  }

  async close(streamId: number): Promise<void> {
    if (!this.failure) {
      this.command(streamId, 'FCUnpublish', 6, null);
      this.command(0, 'deleteStream', 7, null, streamId);
      this.socket.end();
      await this.until(() => this.failure !== undefined, 'close', 3000).catch(() => this.socket.destroy());
    }
  }

  abandon(): void {
    this.fail(new Error('RTMP connection abandoned'));
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    if (this.inHandshake) {
      this.handshakeBytes.push(data);
      this.handshakeLength += data.length;
    } else {
      try {
        this.onMessages(this.reader.push(data));
      } catch (error) {
        this.fail(error as Error);
        this.socket.destroy();
      }
    }
    this.notify();
  }

  private onMessages(messages: RtmpMessage[]): void {
    for (const m of messages) {
      if (m.typeId === MessageType.CommandAmf0) {
        const [name, transaction, ...args] = decodeAmf0(m.payload);
        this.commands.push({ name: asText(name), transaction: typeof transaction === 'number' ? transaction : -1, args });
      } else if (m.typeId === MessageType.UserControl && m.payload.readUInt16BE(0) === PING_REQUEST) {
        // nginx-rtmp drops clients that do not answer its pings (every minute by default).
        const reply = Buffer.concat([Buffer.from([0, PING_RESPONSE]), m.payload.subarray(2, 6)]);
        this.send({ csid: 2, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: reply });
      }
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves when `condition` holds (re-checked on every socket event); rejects on failure or timeout. */
  private until(condition: () => boolean, what: string, timeoutMs = this.timeoutMs): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) done(resolve);
        else if (this.failure) done(() => reject(new Error(`RTMP ${what}: ${this.failure?.message}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`RTMP ${what} timed out after ${timeoutMs} ms`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        this.socket.off('drain', check);
        this.socket.off('connect', check);
        settle();
      };
      this.listeners.add(check);
      this.socket.on('drain', check);
      this.socket.on('connect', check);
      check();
    });
  }
}

function expectResult(command: Command, what: string): Command {
  if (command.name !== '_result') throw new Error(`${what} failed: ${command.name} ${describe(command)}`);
  return command;
}

function statusInfo(command: Command): AmfObject {
  const info = command.args.find((a): a is AmfObject => typeof a === 'object' && a !== null && !Array.isArray(a));
  return info ?? {};
}

function statusCode(command: Command): string {
  return asText(statusInfo(command).code);
}

function describe(command: Command): string {
  return asText(statusInfo(command).description);
}

function asText(value: AmfValue): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
