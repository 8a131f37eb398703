import { runProcess } from './child-process';
import { probeArgs } from './ffmpeg-args';
import { parseFfprobeJson, type ProbeResult } from './ffprobe-json';

/** Runs ffprobe on an RTMP URL, an HLS playlist (URL or path) or a file, and returns its packet list. */

export interface ProbeOptions {
  /** Seconds of packet timestamps to read (default 20). */
  seconds?: number;
  /** Network read timeout (default 5000 ms). */
  readTimeoutMs?: number;
  /** Hard limit on the whole probe; defaults to seconds + 20 s (live sources deliver in real time). */
  timeoutMs?: number;
  ffprobePath?: string;
}

export class ProbeError extends Error {}

export async function probePackets(source: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const seconds = options.seconds ?? 20;
  const args = probeArgs(source, seconds, options.readTimeoutMs);
  const result = await runProcess(options.ffprobePath ?? 'ffprobe', args, options.timeoutMs ?? (seconds + 20) * 1000);
  if (result.timedOut) throw new ProbeError(`ffprobe timed out on ${source}`);
  let probe: ProbeResult | undefined;
  try {
    probe = parseFfprobeJson(result.stdout);
  } catch (error) {
    throw new ProbeError(
      `unreadable ffprobe output for ${source} (exit ${result.code}): ${result.stderr || (error as Error).message}`,
    );
  }
  // A read error after some packets (e.g. the live stream ended) still leaves a usable, complete JSON document.
  if (probe.packets.length === 0) throw new ProbeError(`no packets from ${source} (exit ${result.code}): ${result.stderr}`);
  return probe;
}
