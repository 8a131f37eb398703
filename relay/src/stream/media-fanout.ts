import { isKeyframeBody } from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import { isConfig } from './destination-publisher';

/**
 * The encoder's output on its way to the destinations: keeps what a session joining late needs
 * (metadata, codec configurations, the GOP since the last keyframe) and keeps timestamps moving
 * forwards across an encoder restart.
 */
export class MediaFanout {
  private metadata: FlvTag | null = null;
  private readonly configs: { audio: FlvTag | null; video: FlvTag | null } = { audio: null, video: null };
  private gop: FlvTag[] = [];
  private readonly last = { audio: -1, video: -1, script: -1 };
  /** Tags seen from the encoder since it (re)started; 0 until it produces anything. */
  tagsSinceStart = 0;
  lastTagAt: number | null = null;

  constructor(
    private readonly sinks: () => Iterable<{ push(tag: FlvTag): void }>,
    private readonly now: () => number,
  ) {}

  /** What a new destination session starts with. */
  startTags(): FlvTag[] {
    return [this.metadata, this.configs.video, this.configs.audio, ...this.gop].filter((t): t is FlvTag => t !== null);
  }

  encoderRestarted(): void {
    this.tagsSinceStart = 0;
  }

  push(tag: FlvTag): void {
    this.tagsSinceStart++;
    this.lastTagAt = this.now();
    const stamped = { ...tag, timestampMs: Math.max(tag.timestampMs, this.last[tag.kind]) };
    this.last[tag.kind] = stamped.timestampMs;
    if (tag.kind === 'script') {
      // A restarted encoder says the same again: sessions already have it.
      const repeated = this.metadata !== null;
      this.metadata = stamped;
      if (repeated) return;
    } else if (isConfig(tag)) {
      const previous = this.configs[tag.kind];
      this.configs[tag.kind] = stamped;
      if (previous?.data.equals(tag.data)) return;
    } else if (tag.kind === 'video' && isKeyframeBody(tag.data)) {
      this.gop = [stamped];
    } else if (this.gop.length > 0 && this.gop.length < 2000) {
      this.gop.push(stamped);
    }
    for (const sink of this.sinks()) sink.push(stamped);
  }
}
