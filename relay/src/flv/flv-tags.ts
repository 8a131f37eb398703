/**
 * Minimal FLV reader/writer (pure, Buffer in/out). Enough to take FFmpeg's FLV apart, re-stamp each tag,
 * and write it back: FFmpeg's own muxer refuses to emit the timestamps the glasses produce.
 * Layout: 9-byte header, then [PreviousTagSize u32][tag] pairs; tag = type u8, size u24, ts u24,
 * ts-extended u8 (high byte), stream id u24 (0), data.
 */

export type FlvTagKind = 'audio' | 'video' | 'script';

export interface FlvTag {
  kind: FlvTagKind;
  timestampMs: number;
  data: Buffer;
}

export interface FlvFile {
  hasAudio: boolean;
  hasVideo: boolean;
  tags: FlvTag[];
}

const HEADER_SIZE = 9;
const TAG_HEADER_SIZE = 11;
const KIND_BY_TYPE: Readonly<Record<number, FlvTagKind>> = { 8: 'audio', 9: 'video', 18: 'script' };
const TYPE_BY_KIND: Readonly<Record<FlvTagKind, number>> = { audio: 8, video: 9, script: 18 };
const FLAG_AUDIO = 0x04;
const FLAG_VIDEO = 0x01;

export class FlvFormatError extends Error {}

export function parseFlv(buffer: Buffer): FlvFile {
  if (buffer.length < HEADER_SIZE + 4 || buffer.toString('latin1', 0, 3) !== 'FLV') {
    throw new FlvFormatError('not an FLV file (missing "FLV" signature)');
  }
  const flags = buffer[4];
  const tags: FlvTag[] = [];
  let offset = buffer.readUInt32BE(5) + 4; // header size, then PreviousTagSize0
  while (offset + TAG_HEADER_SIZE <= buffer.length) {
    const type = buffer[offset] & 0x1f;
    const size = buffer.readUIntBE(offset + 1, 3);
    const timestampMs = (buffer[offset + 7] << 24) | buffer.readUIntBE(offset + 4, 3);
    const end = offset + TAG_HEADER_SIZE + size;
    if (end > buffer.length) break; // truncated last tag (file still being written)
    const kind = KIND_BY_TYPE[type];
    if (kind) tags.push({ kind, timestampMs, data: buffer.subarray(offset + TAG_HEADER_SIZE, end) });
    offset = end + 4;
  }
  return { hasAudio: (flags & FLAG_AUDIO) !== 0, hasVideo: (flags & FLAG_VIDEO) !== 0, tags };
}

/** Header plus PreviousTagSize0. */
export function serializeFlvHeader(streams: { hasAudio: boolean; hasVideo: boolean }): Buffer {
  const header = Buffer.alloc(HEADER_SIZE + 4);
  header.write('FLV', 0, 'latin1');
  header[3] = 1;
  header[4] = (streams.hasAudio ? FLAG_AUDIO : 0) | (streams.hasVideo ? FLAG_VIDEO : 0);
  header.writeUInt32BE(HEADER_SIZE, 5);
  return header;
}

/** One tag followed by its PreviousTagSize. Timestamps are written as given: negative steps included. */
export function serializeFlvTag(tag: FlvTag): Buffer {
  const size = tag.data.length;
  const out = Buffer.alloc(TAG_HEADER_SIZE + size + 4);
  const ts = tag.timestampMs >>> 0;
  out[0] = TYPE_BY_KIND[tag.kind];
  out.writeUIntBE(size, 1, 3);
  out.writeUIntBE(ts & 0xffffff, 4, 3);
  out[7] = ts >>> 24;
  tag.data.copy(out, TAG_HEADER_SIZE);
  out.writeUInt32BE(TAG_HEADER_SIZE + size, TAG_HEADER_SIZE + size);
  return out;
}

export function serializeFlv(file: FlvFile): Buffer {
  return Buffer.concat([serializeFlvHeader(file), ...file.tags.map(serializeFlvTag)]);
}

/** AVC/AAC decoder configuration (AVCPacketType / AACPacketType 0), sent once before any frame. */
export function isSequenceHeader(tag: FlvTag): boolean {
  if (tag.kind === 'video') return (tag.data[0] & 0x0f) === 7 && tag.data[1] === 0;
  if (tag.kind === 'audio') return tag.data[0] >> 4 === 10 && tag.data[1] === 0;
  return false;
}

/** A coded video frame (AVC NALU packet), as opposed to a sequence header or end-of-sequence. */
export function isVideoFrame(tag: FlvTag): boolean {
  return tag.kind === 'video' && (tag.data[0] & 0x0f) === 7 && tag.data[1] === 1;
}

export function isAudioFrame(tag: FlvTag): boolean {
  return tag.kind === 'audio' && !isSequenceHeader(tag);
}

export function isKeyframe(tag: FlvTag): boolean {
  return tag.kind === 'video' && tag.data[0] >> 4 === 1;
}
