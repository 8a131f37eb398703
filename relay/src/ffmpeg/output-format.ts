import type { StreamQuality } from '../../protocol/relay-protocol.schemas';

/**
 * Pure: the clean stream's fixed shape. The size is chosen once per stream from the quality and the
 * glasses' first picture (portrait input gives a portrait output: the quality box applies to the long
 * side) and never changes after: a later size change is scaled and padded into it.
 */

export interface QualityProfile {
  /** Long and short side of the output picture. */
  long: number;
  short: number;
  /** Average and maximum video bitrate (VBV with a 1 s buffer). */
  videoKbps: number;
  /** H.264 level; 3.1 covers 1280x720 (either way round) at 30 fps, 4.1 is the most every platform accepts. */
  level: '3.1' | '4.1';
}

export const QUALITY_PROFILES: Readonly<Record<StreamQuality, QualityProfile>> = {
  '480p': { long: 854, short: 480, videoKbps: 1200, level: '3.1' },
  '720p': { long: 1280, short: 720, videoKbps: 2500, level: '3.1' },
  '1080p': { long: 1920, short: 1080, videoKbps: 4500, level: '4.1' },
};

export const OUTPUT_FPS = 30;
export const KEYFRAME_INTERVAL_SEC = 2;
export const AUDIO = { sampleRate: 48000, channels: 2, kbps: 128 } as const;

export interface PictureSize {
  width: number;
  height: number;
}

export function outputSize(quality: StreamQuality, input: PictureSize | null): PictureSize {
  const { long, short } = QUALITY_PROFILES[quality];
  const portrait = input !== null && input.height > input.width;
  return portrait ? { width: short, height: long } : { width: long, height: short };
}
