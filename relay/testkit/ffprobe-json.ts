import { z } from 'zod';

/**
 * Pure: the shape of `ffprobe -show_packets -show_streams -of json` and its conversion to the
 * millisecond-based packet list the analyses work on. ffprobe omits fields that are N/A.
 */

const packetSchema = z.object({
  codec_type: z.string(),
  stream_index: z.number().int(),
  pts: z.number().int().optional(),
  dts: z.number().int().optional(),
  duration: z.number().int().optional(),
  size: z.coerce.number().optional(),
  flags: z.string().default(''),
});

const streamSchema = z.object({
  index: z.number().int(),
  codec_type: z.string(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  level: z.number().int().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  sample_rate: z.coerce.number().optional(),
  channels: z.number().int().optional(),
  time_base: z.string().regex(/^\d+\/\d+$/),
});

export const ffprobeOutputSchema = z.object({
  packets: z.array(packetSchema).default([]),
  streams: z.array(streamSchema).default([]),
});

export type FfprobeOutput = z.infer<typeof ffprobeOutputSchema>;

export interface ProbedStream {
  index: number;
  codecType: string;
  codecName?: string;
  profile?: string;
  /** H.264 level_idc, e.g. 41 for 4.1. */
  level?: number;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}

export interface ProbedPacket {
  streamIndex: number;
  codecType: string;
  ptsMs?: number;
  dtsMs?: number;
  durationMs?: number;
  keyframe: boolean;
  size?: number;
}

export interface ProbeResult {
  streams: ProbedStream[];
  /** In read (decode) order. */
  packets: ProbedPacket[];
}

export function parseFfprobeJson(json: string): ProbeResult {
  return toProbeResult(ffprobeOutputSchema.parse(JSON.parse(json)));
}

export function toProbeResult(output: FfprobeOutput): ProbeResult {
  const msPerTick = new Map(output.streams.map((s) => [s.index, ticksToMs(s.time_base)]));
  const toMs = (index: number, ticks: number | undefined): number | undefined => {
    const scale = msPerTick.get(index);
    return ticks === undefined || scale === undefined ? undefined : ticks * scale;
  };
  return {
    streams: output.streams.map((s) => ({
      index: s.index,
      codecType: s.codec_type,
      codecName: s.codec_name,
      profile: s.profile,
      level: s.level,
      width: s.width,
      height: s.height,
      sampleRate: s.sample_rate,
      channels: s.channels,
    })),
    packets: output.packets.map((p) => ({
      streamIndex: p.stream_index,
      codecType: p.codec_type,
      ptsMs: toMs(p.stream_index, p.pts),
      dtsMs: toMs(p.stream_index, p.dts),
      durationMs: toMs(p.stream_index, p.duration),
      keyframe: p.flags.includes('K'),
      size: p.size,
    })),
  };
}

function ticksToMs(timeBase: string): number {
  const [num, den] = timeBase.split('/').map(Number);
  return den > 0 ? (num * 1000) / den : 0;
}
