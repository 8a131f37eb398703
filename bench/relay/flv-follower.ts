// Follows a file that nginx-rtmp is recording (`record all`): nginx writes each frame as it
// receives it, so the moment a tag appears in the file is the moment it reached the destination,
// give or take one polling interval. Every video tag is also copied to a file of our own, because
// nginx starts a recording over when the destination is published to again (a reconnect), and the
// latency measurement needs the pictures of the whole window. Also follows an HLS playlist.
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const FLV_HEADER_BYTES = 9 + 4; // header + PreviousTagSize0
const TAG_HEADER_BYTES = 11;

export interface ArrivedVideoTag {
  /** Offset of the tag in the copy (`videoCopy`). */
  offset: number;
  /** Tag header + data + PreviousTagSize. */
  bytes: number;
  timestampMs: number;
  keyframe: boolean;
  sequenceHeader: boolean;
  arrivedAt: number;
}

export class FlvFollower {
  /** performance.now() when the first audio or video frame (not a decoder configuration) was seen. */
  firstMediaAt: number | null = null;
  /** Every video tag seen, across restarts of the recording. */
  readonly video: ArrivedVideoTag[] = [];
  /** How many times the recording started over (each a new publish from the relay to this sink). */
  restarts = 0;
  private offset = FLV_HEADER_BYTES;
  private pending = Buffer.alloc(0);
  private copyFd: number | null = null;
  private copyOffset = 0;

  /** `videoCopy`: where the video tags are copied to (tag after tag, no FLV header). */
  constructor(
    readonly file: string,
    readonly videoCopy: string,
  ) {}

  close(): void {
    if (this.copyFd !== null) closeSync(this.copyFd);
    this.copyFd = null;
  }

  poll(now = performance.now()): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return; // not recorded yet
    }
    const readFrom = this.offset + this.pending.length;
    if (size < FLV_HEADER_BYTES) return; // opened, header not written yet
    if (size < this.offset) {
      // nginx started the recording over: a new publish to this key (the relay reconnected the destination).
      this.restarts++;
      this.offset = FLV_HEADER_BYTES;
      this.pending = Buffer.alloc(0);
      return;
    }
    if (size <= readFrom) return;
    let chunk = Buffer.alloc(size - readFrom);
    const fd = openSync(this.file, 'r');
    try {
      chunk = chunk.subarray(0, readSync(fd, chunk, 0, chunk.length, readFrom));
    } finally {
      closeSync(fd);
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.parse(now);
  }

  private parse(now: number): void {
    let at = 0;
    while (at + TAG_HEADER_BYTES <= this.pending.length) {
      const type = this.pending[at] & 0x1f;
      const dataBytes = this.pending.readUIntBE(at + 1, 3);
      const total = TAG_HEADER_BYTES + dataBytes + 4;
      if (at + total > this.pending.length) break;
      const data = this.pending.subarray(at + TAG_HEADER_BYTES, at + TAG_HEADER_BYTES + dataBytes);
      const timestampMs = ((this.pending[at + 7] << 24) | this.pending.readUIntBE(at + 4, 3)) >>> 0;
      const configuration = data.length > 1 && data[1] === 0;
      if ((type === 8 || type === 9) && !configuration) this.firstMediaAt ??= now;
      if (type === 9 && data.length > 1) {
        this.copyFd ??= openSync(this.videoCopy, 'w');
        writeSync(this.copyFd, this.pending, at, total);
        this.video.push({
          offset: this.copyOffset,
          bytes: total,
          timestampMs,
          keyframe: data[0] >> 4 === 1,
          sequenceHeader: configuration,
          arrivedAt: now,
        });
        this.copyOffset += total;
      }
      at += total;
    }
    this.offset += at;
    this.pending = this.pending.subarray(at);
  }
}

/** When a playlist first lists a segment, and how many segments it has announced so far. */
export class HlsFollower {
  firstSegmentAt: number | null = null;
  /** Media sequence number of the newest listed segment + 1 (segments produced, from the first number). */
  private lastProduced: number | null = null;
  private firstSequence: number | null = null;

  constructor(readonly playlist: string) {}

  private lastVersion = '';

  poll(now = performance.now()): void {
    let text: string;
    try {
      // Read only when the playlist was rewritten.
      const stat = statSync(this.playlist);
      const version = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (version === this.lastVersion) return;
      this.lastVersion = version;
      text = readFileSync(this.playlist, 'utf8');
    } catch {
      return; // not written yet, or replaced between the stat and the read
    }
    const segments = text.split('\n').filter((line) => /\.ts\s*$/.test(line)).length;
    if (segments === 0) return;
    this.firstSegmentAt ??= now;
    const sequence = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? '0');
    this.firstSequence ??= sequence;
    this.lastProduced = sequence + segments;
  }

  /** Segments listed so far, counted from the first one seen. */
  get segmentsProduced(): number {
    return this.lastProduced === null || this.firstSequence === null ? 0 : this.lastProduced - this.firstSequence;
  }
}
