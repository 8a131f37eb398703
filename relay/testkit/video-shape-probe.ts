import { z } from 'zod';
import { runProcess } from './child-process';
import type { VideoSize } from './stream-shape';

/**
 * What ffprobe says about a recording's video shape beyond its stream list: the decoded frame size
 * over time (a resize) and the packets that carried a new AVC sequence header mid-stream (FFmpeg's
 * FLV demuxer attaches it as "New Extradata" side data, also when the size stays the same).
 */

export interface SizeRun extends VideoSize {
  frames: number;
  /** Decode timestamp of the run's first frame. */
  fromMs: number;
}

export interface VideoShape {
  sizes: SizeRun[];
  /** DTS of each packet that came with a new sequence header (the first one is not counted). */
  newHeadersAtMs: number[];
}

const seconds = z.coerce.number().optional();
const framesSchema = z.object({
  frames: z
    .array(z.object({ width: z.number().int(), height: z.number().int(), pkt_dts_time: seconds, pts_time: seconds }))
    .default([]),
});
const packetsSchema = z.object({
  packets: z
    .array(z.object({ dts_time: seconds, side_data_list: z.array(z.object({ side_data_type: z.string() })).default([]) }))
    .default([]),
});

/** Pure: the two ffprobe JSON documents (`-show_frames`, `-show_packets`) of one video stream. */
export function parseVideoShape(framesJson: string, packetsJson: string): VideoShape {
  const sizes: SizeRun[] = [];
  for (const f of framesSchema.parse(JSON.parse(framesJson)).frames) {
    const last = sizes[sizes.length - 1];
    if (last && last.width === f.width && last.height === f.height) last.frames++;
    else {
      const atSec = f.pkt_dts_time ?? f.pts_time ?? 0;
      sizes.push({ width: f.width, height: f.height, frames: 1, fromMs: Math.round(atSec * 1000) });
    }
  }
  const newHeadersAtMs = packetsSchema
    .parse(JSON.parse(packetsJson))
    .packets.filter((p) => p.side_data_list.some((d) => d.side_data_type === 'New Extradata'))
    .map((p) => Math.round((p.dts_time ?? 0) * 1000));
  return { sizes, newHeadersAtMs };
}

/** Decodes the file's first video stream (cheap at these sizes: seconds of video). */
export async function probeVideoShape(file: string, ffprobePath = 'ffprobe'): Promise<VideoShape> {
  const common = ['-v', 'error', '-select_streams', 'v:0', '-of', 'json'];
  const [frames, packets] = await Promise.all([
    runProcess(ffprobePath, [...common, '-show_entries', 'frame=width,height,pkt_dts_time,pts_time', file], 60_000),
    runProcess(ffprobePath, [...common, '-show_entries', 'packet=dts_time:packet_side_data=side_data_type', file], 60_000),
  ]);
  for (const run of [frames, packets]) {
    if (run.code !== 0) throw new Error(`ffprobe failed on ${file} (exit ${run.code}): ${run.stderr}`);
  }
  return parseVideoShape(frames.stdout, packets.stdout);
}
