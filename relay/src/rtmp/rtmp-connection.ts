import { randomBytes } from 'node:crypto';
import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { decodeAmf0, encodeAmf0, type AmfObject, type AmfValue } from './amf0';
import { ChunkReader, encodeChunks, MessageType, setChunkSizeMessage, type RtmpMessage } from './rtmp-chunks';
import type { RtmpTarget } from './rtmp-url';

/**
 * One RTMP client connection (plain or TLS): the simple handshake, the `connect` command, command
 * transactions, and the control messages a server expects answered (pings, acknowledgements).
 * Media and status messages are handed to the owner; the player and the publisher build on it.
 */

export type MediaKind = 'audio' | 'video' | 'script';

export interface RtmpCommand {
  name: string;
  transaction: number;
  args: AmfValue[];
  streamId: number;
}

export interface RtmpConnectionEvents {
  onMedia?(kind: MediaKind, timestamp: number, payload: Buffer): void;
  onStatus?(code: string, description: string): void;
  onClose?(error: Error): void;
}

const HANDSHAKE_SIZE = 1536;
export const OUT_CHUNK_SIZE = 4096;
const CSID_PROTOCOL = 2;
const CSID_COMMAND = 3;
const CSID_STREAM_COMMAND = 5;
const CSID_BY_KIND: Readonly<Record<MediaKind, number>> = { audio: 4, video: 6, script: 5 };
const TYPE_BY_KIND: Readonly<Record<MediaKind, number>> = {
  audio: MessageType.Audio,
  video: MessageType.Video,
  script: MessageType.DataAmf0,
};
const KIND_BY_TYPE: Readonly<Record<number, MediaKind>> = { 8: 'audio', 9: 'video', 18: 'script' };
const USER_CONTROL_PING_REQUEST = 6;
const USER_CONTROL_PING_RESPONSE = 7;
const DEFAULT_ACK_WINDOW = 2_500_000;
export const FLASH_VERSION = 'FMLE/3.0 (compatible; FMSc/1.0)';

/** How far a client connection got: where a failure happens says what is wrong. */
export type RtmpStage = 'socket' | 'handshake' | 'connect' | 'publish' | 'streaming';

export interface RtmpErrorDetails {
  stage?: RtmpStage;
  /** Node's code for socket, DNS and TLS errors. */
  errno?: string;
  timedOut?: boolean;
  /** The server's status code and description, when it answered with one. */
  status?: string;
  description?: string;
}

export class RtmpError extends Error {
  constructor(
    message: string,
    readonly details: RtmpErrorDetails = {},
  ) {
    super(message);
  }
}

/** Every error leaving a connection says at which stage it happened (and Node's code, if any). */
export function withStage(error: Error, stage: RtmpStage): RtmpError {
  if (error instanceof RtmpError && error.details.stage) return error;
  const errno = (error as NodeJS.ErrnoException).code;
  const details = error instanceof RtmpError ? error.details : {};
  return new RtmpError(error.message, { ...details, stage, ...(typeof errno === 'string' ? { errno } : {}) });
}

export class RtmpConnection {
  private readonly reader = new ChunkReader();
  private readonly pending = new Map<number, { resolve: (c: RtmpCommand) => void; reject: (e: Error) => void }>();
  private nextTransaction = 2;
  private handshake: Buffer[] | null = [];
  private handshakeLength = 0;
  private handshakeDone: (() => void) | null = null;
  private received = 0;
  private acknowledged = 0;
  private ackWindow = DEFAULT_ACK_WINDOW;
  private closedWith: RtmpError | null = null;
  /** Moved on by the owner past `connect` (publish, streaming). */
  stage: RtmpStage = 'socket';
  events: RtmpConnectionEvents = {};

  private constructor(
    private readonly socket: Socket,
    readonly target: RtmpTarget,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.close(error));
    socket.on('close', () => this.close(new RtmpError('the connection closed')));
  }

  /** TCP (or TLS) connect, handshake and `connect`; rejects with what went wrong. */
  static async open(target: RtmpTarget, timeoutMs: number, tls: { ca?: readonly string[] } = {}): Promise<RtmpConnection> {
    const socket = target.secure
      ? connectTls({
          host: target.host,
          port: target.port,
          ...(isIP(target.host) ? {} : { servername: target.host }),
          ...(tls.ca ? { ca: [...tls.ca] } : {}),
        })
      : connectTcp({ host: target.host, port: target.port });
    const connection = new RtmpConnection(socket, target);
    const timer = setTimeout(
      () => connection.close(new RtmpError(`no answer within ${timeoutMs} ms`, { timedOut: true })),
      timeoutMs,
    );
    try {
      await connection.doHandshake(target.secure ? 'secureConnect' : 'connect');
      connection.stage = 'connect';
      connection.sendMessage(setChunkSizeMessage(OUT_CHUNK_SIZE));
      const answer = await connection.call(0, 'connect', {
        app: target.app,
        type: 'nonprivate',
        flashVer: FLASH_VERSION,
        swfUrl: target.tcUrl,
        tcUrl: target.tcUrl,
      });
      if (answer.name !== '_result') {
        throw new RtmpError(`connect refused: ${describeCommand(answer)}`, statusDetails(answer));
      }
      return connection;
    } catch (error) {
      connection.close(error as Error);
      throw connection.closedWith ?? error;
    } finally {
      clearTimeout(timer);
    }
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Bytes written but not yet taken by the kernel: how far a slow peer is behind. */
  get writableLength(): number {
    return this.socket.writableLength;
  }

  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  /** A command with a transaction id; resolves with its `_result` or `_error`. */
  call(streamId: number, name: string, ...args: AmfValue[]): Promise<RtmpCommand> {
    const transaction = this.nextTransaction++;
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      this.pending.set(transaction, { resolve, reject });
      this.send(streamId, name, transaction, ...args);
    });
  }

  /** A command no answer is expected to. */
  send(streamId: number, name: string, transaction: number, ...args: AmfValue[]): void {
    const csid = streamId === 0 ? CSID_COMMAND : CSID_STREAM_COMMAND;
    this.sendMessage({
      csid,
      typeId: MessageType.CommandAmf0,
      streamId,
      timestamp: 0,
      payload: encodeAmf0(name, transaction, ...args),
    });
  }

  sendMedia(streamId: number, kind: MediaKind, timestamp: number, payload: Buffer): boolean {
    return this.sendMessage({ csid: CSID_BY_KIND[kind], typeId: TYPE_BY_KIND[kind], streamId, timestamp, payload });
  }

  /** Ends the TCP connection after what was written; `destroy` for a peer that stopped reading. */
  end(): void {
    this.socket.end();
  }

  destroy(reason: Error): void {
    this.close(reason);
  }

  private sendMessage(message: RtmpMessage): boolean {
    if (this.closedWith || this.socket.destroyed) return false;
    return this.socket.write(encodeChunks(message, OUT_CHUNK_SIZE));
  }

  private doHandshake(connectEvent: 'connect' | 'secureConnect'): Promise<void> {
    return new Promise((resolve, reject) => {
      const onClose = (error: Error): void => reject(error);
      this.events = { onClose };
      this.socket.once(connectEvent, () => {
        this.stage = 'handshake';
        // Version 3, time 0, zero "version" field: the plain handshake every server accepts.
        this.socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(8), randomBytes(HANDSHAKE_SIZE - 8)]));
      });
      this.handshakeDone = () => {
        this.events = {};
        resolve();
      };
    });
  }

  private onData(data: Buffer): void {
    this.received += data.length;
    if (this.handshake) {
      this.handshake.push(data);
      this.handshakeLength += data.length;
      if (this.handshakeLength < 1 + 2 * HANDSHAKE_SIZE) return;
      const all = Buffer.concat(this.handshake);
      this.handshake = null;
      this.socket.write(all.subarray(1, 1 + HANDSHAKE_SIZE)); // C2 echoes S1
      this.handshakeDone?.();
      data = all.subarray(1 + 2 * HANDSHAKE_SIZE);
      if (data.length === 0) return;
    }
    let messages: RtmpMessage[];
    try {
      messages = this.reader.push(data);
    } catch (error) {
      this.close(new RtmpError(`unreadable data from the server: ${(error as Error).message}`));
      return;
    }
    for (const message of messages) this.onMessage(message);
    this.acknowledge();
  }

  private onMessage(message: RtmpMessage): void {
    const kind = KIND_BY_TYPE[message.typeId];
    if (kind && !(kind === 'script' && message.streamId === 0)) {
      this.events.onMedia?.(kind, message.timestamp, message.payload);
      return;
    }
    switch (message.typeId) {
      case MessageType.CommandAmf0:
        this.onCommand(message);
        return;
      case MessageType.WindowAckSize:
        if (message.payload.length >= 4) this.ackWindow = message.payload.readUInt32BE(0);
        return;
      case MessageType.UserControl:
        if (message.payload.length >= 6 && message.payload.readUInt16BE(0) === USER_CONTROL_PING_REQUEST) {
          // Servers drop clients that do not answer their pings.
          const reply = Buffer.concat([Buffer.from([0, USER_CONTROL_PING_RESPONSE]), message.payload.subarray(2, 6)]);
          this.sendMessage({ csid: CSID_PROTOCOL, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: reply });
        }
        return;
      default:
        return;
    }
  }

  private onCommand(message: RtmpMessage): void {
    let values: AmfValue[];
    try {
      values = decodeAmf0(message.payload);
    } catch {
      return; // a command we cannot read is one we would not act on
    }
    const [name, transaction, ...args] = values;
    const command: RtmpCommand = {
      name: typeof name === 'string' ? name : '',
      transaction: typeof transaction === 'number' ? transaction : -1,
      args,
      streamId: message.streamId,
    };
    const waiting = this.pending.get(command.transaction);
    if (waiting && (command.name === '_result' || command.name === '_error')) {
      this.pending.delete(command.transaction);
      waiting.resolve(command);
    } else if (command.name === 'onStatus') {
      const info = statusInfo(command);
      this.events.onStatus?.(text(info.code), text(info.description));
    }
  }

  private acknowledge(): void {
    if (this.received - this.acknowledged < this.ackWindow / 2) return;
    this.acknowledged = this.received;
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(this.received >>> 0);
    this.sendMessage({ csid: CSID_PROTOCOL, typeId: MessageType.Acknowledgement, streamId: 0, timestamp: 0, payload });
  }

  private close(reason: Error): void {
    if (this.closedWith) return;
    const error = withStage(reason, this.stage);
    this.closedWith = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.socket.destroy();
    this.events.onClose?.(error);
  }
}

export function statusInfo(command: RtmpCommand): AmfObject {
  const info = command.args.find((a): a is AmfObject => typeof a === 'object' && a !== null && !Array.isArray(a));
  return info ?? {};
}

/** The status a server answered a command with, for RtmpError's details. */
export function statusDetails(command: RtmpCommand): RtmpErrorDetails {
  const info = statusInfo(command);
  return { status: text(info.code) || command.name, description: text(info.description) };
}

export function describeCommand(command: RtmpCommand): string {
  const info = statusInfo(command);
  return [text(info.code), text(info.description)].filter(Boolean).join(' ') || command.name;
}

function text(value: AmfValue): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
