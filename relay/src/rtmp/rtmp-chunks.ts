/**
 * Pure RTMP chunk stream codec: messages to chunks (always a type-0 header, i.e. an absolute
 * timestamp, so a timestamp may go backwards exactly as the glasses send it) and chunks back to messages.
 */

export const MessageType = {
  SetChunkSize: 1,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAckSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf0: 18,
  CommandAmf0: 20,
} as const;

export interface RtmpMessage {
  /** Chunk stream id (2-63 here). */
  csid: number;
  typeId: number;
  /** Message stream id (0 for control and connection commands). */
  streamId: number;
  timestamp: number;
  payload: Buffer;
}

const EXTENDED = 0xffffff;

export function encodeChunks(message: RtmpMessage, chunkSize: number): Buffer {
  const { csid, typeId, streamId, payload } = message;
  if (csid < 2 || csid > 63) throw new RangeError(`chunk stream id ${csid} out of the one-byte range`);
  const timestamp = message.timestamp >>> 0;
  const extended = timestamp >= EXTENDED;
  const header = Buffer.alloc(12);
  header[0] = csid; // fmt 0
  header.writeUIntBE(extended ? EXTENDED : timestamp, 1, 3);
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = typeId;
  header.writeUInt32LE(streamId, 8); // the one little-endian field in RTMP
  const extendedField = extended ? u32(timestamp) : Buffer.alloc(0);
  const parts: Buffer[] = [header, extendedField];
  for (let offset = 0; offset < payload.length || offset === 0; offset += chunkSize) {
    if (offset > 0) parts.push(Buffer.from([0xc0 | csid]), extendedField); // fmt 3 continuation
    parts.push(payload.subarray(offset, offset + chunkSize));
    if (payload.length === 0) break;
  }
  return Buffer.concat(parts);
}

export function setChunkSizeMessage(size: number): RtmpMessage {
  return { csid: 2, typeId: MessageType.SetChunkSize, streamId: 0, timestamp: 0, payload: u32(size & 0x7fffffff) };
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

interface ChunkStreamState {
  timestamp: number;
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  extended: boolean;
  parts: Buffer[];
  received: number;
}

/** Incremental reader: push socket data, get complete messages. Honours the peer's Set Chunk Size. */
export class ChunkReader {
  private pending: Buffer = Buffer.alloc(0);
  private chunkSize = 128;
  private readonly streams = new Map<number, ChunkStreamState>();

  push(data: Buffer): RtmpMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const messages: RtmpMessage[] = [];
    for (;;) {
      const consumed = this.readChunk(messages);
      if (consumed === 0) break;
      this.pending = this.pending.subarray(consumed);
    }
    return messages;
  }

  /** Parses one chunk at the start of `pending`; returns bytes consumed, 0 when incomplete. */
  private readChunk(out: RtmpMessage[]): number {
    const buf = this.pending;
    if (buf.length < 1) return 0;
    const fmt = buf[0] >> 6;
    let csid = buf[0] & 0x3f;
    let pos = 1;
    if (csid === 0 || csid === 1) {
      const extra = csid === 0 ? 1 : 2;
      if (buf.length < 1 + extra) return 0;
      csid = 64 + buf[1] + (csid === 1 ? buf[2] * 256 : 0);
      pos += extra;
    }
    const headerSize = [11, 7, 3, 0][fmt];
    if (buf.length < pos + headerSize) return 0;
    const previous = this.streams.get(csid);
    if (!previous && fmt !== 0) throw new Error(`chunk stream ${csid} starts with a type-${fmt} header`);
    const state: ChunkStreamState = previous ?? {
      timestamp: 0,
      delta: 0,
      length: 0,
      typeId: 0,
      streamId: 0,
      extended: false,
      parts: [],
      received: 0,
    };
    const tsField = fmt < 3 ? buf.readUIntBE(pos, 3) : 0;
    const extended = fmt < 3 ? tsField === EXTENDED : state.extended;
    const next = { ...state, extended };
    if (fmt <= 1) {
      next.length = buf.readUIntBE(pos + 3, 3);
      next.typeId = buf[pos + 6];
    }
    if (fmt === 0) next.streamId = buf.readUInt32LE(pos + 7);
    pos += headerSize;
    let tsValue = tsField;
    if (extended) {
      if (buf.length < pos + 4) return 0;
      tsValue = buf.readUInt32BE(pos);
      pos += 4;
    }
    const size = Math.min(this.chunkSize, next.length - next.received);
    if (buf.length < pos + size) return 0;
    if (next.received === 0) {
      if (fmt === 0) next.timestamp = tsValue;
      else if (fmt === 3) next.timestamp += next.delta;
      else {
        next.delta = tsValue;
        next.timestamp += tsValue;
      }
    }
    next.parts = [...next.parts, buf.subarray(pos, pos + size)];
    next.received += size;
    if (next.received >= next.length) {
      const payload = Buffer.concat(next.parts);
      out.push({ csid, typeId: next.typeId, streamId: next.streamId, timestamp: next.timestamp, payload });
      if (next.typeId === MessageType.SetChunkSize && payload.length >= 4) this.chunkSize = payload.readUInt32BE(0) & 0x7fffffff;
      next.parts = [];
      next.received = 0;
    }
    this.streams.set(csid, next);
    return pos + size;
  }
}
