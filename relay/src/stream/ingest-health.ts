import type { IngestHealth } from '../../protocol/relay-protocol.schemas';

/** The figures describe the last 10 s of what the glasses sent. */
export const INGEST_WINDOW_MS = 10_000;
/** Figures over less than this are guesses: nothing is reported before it. */
const MIN_SPAN_MS = 2_000;
/** Pictures further apart than this (by arrival) are a gap in the uplink. */
export const GAP_MS = 500;
/** A timestamp step this much larger or smaller than the arrival step is a jump of the device clock. */
const JUMP_MS = 500;
/** A grade better than the one reported must hold this long before it is reported (no flapping). */
export const GRADE_IMPROVE_HOLD_MS = 5_000;

interface Picture {
  at: number;
  ts: number;
  bytes: number;
  keyframe: boolean;
}

export type IngestFigures = Omit<IngestHealth, 'grade' | 'reason'>;
export type IngestGrade = IngestHealth['grade'];

/**
 * Watches the glasses' uplink from what arrives (before any cleaning): the rate and regularity of
 * pictures, bitrate, keyframes, clock jumps and sound/picture drift, over a sliding 10 s window.
 */
export class IngestHealthMonitor {
  private readonly pictures: Picture[] = [];
  private readonly sounds: { at: number; bytes: number }[] = [];
  private firstAt: number | null = null;
  private lastVideo: { at: number; ts: number } | null = null;
  private lastAudio: { at: number; ts: number } | null = null;
  private jumps: number[] = [];

  picture(at: number, ts: number, bytes: number, keyframe: boolean): void {
    this.firstAt ??= at;
    const previous = this.pictures.at(-1);
    if (previous && Math.abs(ts - previous.ts - (at - previous.at)) > JUMP_MS) this.jumps.push(at);
    this.pictures.push({ at, ts, bytes, keyframe });
    this.lastVideo = { at, ts };
    this.trim(at);
  }

  sound(at: number, ts: number, bytes: number): void {
    this.firstAt ??= at;
    this.sounds.push({ at, bytes });
    this.lastAudio = { at, ts };
    this.trim(at);
  }

  /** A new publish is a new uplink: its figures start afresh (the time away is the stream's status, not the link's). */
  publisherBack(): void {
    this.pictures.length = 0;
    this.sounds.length = 0;
    this.jumps = [];
    this.firstAt = null;
    this.lastVideo = null;
    this.lastAudio = null;
  }

  /** null until the glasses have sent for 2 s. */
  figures(now: number): IngestFigures | null {
    this.trim(now);
    if (this.firstAt === null || now - this.firstAt < MIN_SPAN_MS) return null;
    const spanMs = Math.min(INGEST_WINDOW_MS, now - this.firstAt);
    const from = now - spanMs;
    const pictures = this.pictures.filter((p) => p.at > from);
    const bytes = pictures.reduce((sum, p) => sum + p.bytes, 0) + this.sounds.reduce((sum, s) => sum + s.bytes, 0);
    let longestGapMs = pictures.length > 0 ? now - pictures[pictures.length - 1].at : spanMs;
    let gaps = longestGapMs >= GAP_MS ? 1 : 0;
    for (let i = 1; i < pictures.length; i++) {
      const step = pictures[i].at - pictures[i - 1].at;
      if (step >= GAP_MS) gaps++;
      longestGapMs = Math.max(longestGapMs, step);
    }
    return {
      windowSeconds: round(spanMs / 1000, 1),
      fpsMean: round((pictures.length * 1000) / spanMs, 1),
      fpsMin: minimumPerSecond(pictures, from, now),
      bitrateKbps: Math.round((bytes * 8) / spanMs),
      keyframeIntervalSeconds: longestKeyframeInterval(pictures, now),
      timestampJumps: this.jumps.filter((at) => at > from).length,
      gaps,
      longestGapMs: Math.round(longestGapMs),
      avDriftMs: this.drift(now),
    };
  }

  /** How far sound runs ahead (+) or behind (-) the pictures, comparing each one's clock with its arrival. */
  private drift(now: number): number | null {
    const recent = now - MIN_SPAN_MS;
    if (!this.lastVideo || !this.lastAudio || this.lastVideo.at < recent || this.lastAudio.at < recent) return null;
    return Math.round(this.lastAudio.ts - this.lastAudio.at - (this.lastVideo.ts - this.lastVideo.at));
  }

  private trim(now: number): void {
    const from = now - INGEST_WINDOW_MS;
    // One picture older than the window stays: the keyframe interval and gaps are measured from it.
    while (this.pictures.length > 1 && this.pictures[1].at <= from) this.pictures.shift();
    while (this.sounds.length > 0 && this.sounds[0].at <= from) this.sounds.shift();
    if (this.jumps.length > 0 && this.jumps[0] <= from) this.jumps = this.jumps.filter((at) => at > from);
  }
}

function minimumPerSecond(pictures: readonly Picture[], from: number, now: number): number {
  const seconds = Math.floor((now - from) / 1000);
  if (seconds < 1) return 0;
  const counts = new Array<number>(seconds).fill(0);
  for (const picture of pictures) {
    const second = Math.floor((now - picture.at) / 1000);
    if (second < seconds) counts[second]++;
  }
  return Math.min(...counts);
}

function longestKeyframeInterval(pictures: readonly Picture[], now: number): number | null {
  const keyframes = pictures.filter((p) => p.keyframe).map((p) => p.at);
  if (keyframes.length === 0) return null;
  let longest = now - keyframes[keyframes.length - 1];
  for (let i = 1; i < keyframes.length; i++) longest = Math.max(longest, keyframes[i] - keyframes[i - 1]);
  return round(longest / 1000, 2);
}

/**
 * Pure: what an app should do about its uplink. `poor`: the audience sees freezes (act now, e.g.
 * lower the bitrate or resolution); `degraded`: visible hiccups the relay hides at a cost.
 */
export function gradeIngest(figures: IngestFigures): { grade: IngestGrade; reason: string } {
  if (figures.longestGapMs >= 2_000) {
    return { grade: 'poor', reason: `no picture for ${(figures.longestGapMs / 1000).toFixed(1)} s` };
  }
  if (figures.fpsMean < 5) return { grade: 'poor', reason: `${figures.fpsMean} pictures a second` };
  if (figures.gaps > 0) {
    return { grade: 'degraded', reason: `${figures.gaps} gap(s) between pictures, the longest ${figures.longestGapMs} ms` };
  }
  if (figures.fpsMin < 8) return { grade: 'degraded', reason: `the frame rate fell to ${figures.fpsMin} fps` };
  if (figures.timestampJumps > 0) return { grade: 'degraded', reason: `${figures.timestampJumps} timestamp jump(s)` };
  if (figures.avDriftMs !== null && Math.abs(figures.avDriftMs) >= 1_000) {
    return { grade: 'degraded', reason: `sound and pictures ${figures.avDriftMs} ms apart` };
  }
  return { grade: 'good', reason: `${figures.fpsMean} fps, ${figures.bitrateKbps} kbit/s, no gaps` };
}

const RANK: Record<IngestGrade, number> = { good: 0, degraded: 1, poor: 2 };

/** Reports a worse grade at once and a better one once it has held, so a grade change means something. */
export class IngestGradeKeeper {
  private reported: IngestHealth | null = null;
  private betterSince: number | null = null;

  /** The grade to report now; `changed` when it differs from the last one reported. */
  update(figures: IngestFigures | null, now: number): { health: IngestHealth | null; changed: boolean } {
    if (!figures) return { health: this.reported, changed: false };
    const graded = { ...figures, ...gradeIngest(figures) };
    const previous = this.reported;
    if (!previous || RANK[graded.grade] > RANK[previous.grade]) {
      this.betterSince = null;
      this.reported = graded;
      return { health: graded, changed: previous?.grade !== graded.grade };
    }
    if (RANK[graded.grade] === RANK[previous.grade]) {
      this.betterSince = null;
      this.reported = graded;
      return { health: graded, changed: false };
    }
    this.betterSince ??= now;
    if (now - this.betterSince < GRADE_IMPROVE_HOLD_MS) {
      // Still the old grade, with today's figures.
      this.reported = { ...graded, grade: previous.grade, reason: previous.reason };
      return { health: this.reported, changed: false };
    }
    this.betterSince = null;
    this.reported = graded;
    return { health: graded, changed: true };
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
