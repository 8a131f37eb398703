import type { FlvTag, FlvTagKind } from './flv-tags';

/** Incremental FLV reader for a stream that arrives in pieces (an FFmpeg's stdout): push bytes, get tags. */

const HEADER_SIZE = 9;
const TAG_HEADER_SIZE = 11;
const KIND_BY_TYPE: Readonly<Record<number, FlvTagKind>> = { 8: 'audio', 9: 'video', 18: 'script' };

export class FlvStreamReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;

  push(data: Buffer): FlvTag[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const tags: FlvTag[] = [];
    let offset = 0;
    if (!this.headerRead) {
      if (this.pending.length < HEADER_SIZE + 4) return tags;
      if (this.pending.toString('latin1', 0, 3) !== 'FLV') throw new Error('not an FLV stream (missing "FLV" signature)');
      offset = this.pending.readUInt32BE(5) + 4;
      this.headerRead = true;
    }
    while (offset + TAG_HEADER_SIZE <= this.pending.length) {
      const size = this.pending.readUIntBE(offset + 1, 3);
      const end = offset + TAG_HEADER_SIZE + size + 4;
      if (end > this.pending.length) break;
      const kind = KIND_BY_TYPE[this.pending[offset] & 0x1f];
      const timestampMs = ((this.pending[offset + 7] << 24) | this.pending.readUIntBE(offset + 4, 3)) >>> 0;
      // A copy: the tag outlives this chunk (GOP cache, destination queues).
      if (kind) tags.push({ kind, timestampMs, data: Buffer.from(this.pending.subarray(offset + TAG_HEADER_SIZE, end - 4)) });
      offset = end;
    }
    this.pending = this.pending.subarray(offset);
    return tags;
  }
}
