import { rtmpAppPathOptions } from './rtmp-app-path';

/**
 * Pure: the argument list (after the binary) of one forwarder FFmpeg: copies the encoder's clean
 * stream from our nginx-rtmp `clean` application to one destination (rtmp:// or rtmps://), untouched.
 *
 * Timeouts (measured with Debian's FFmpeg 5.1): the RTMP protocol's own `-timeout` is a *listen*
 * timeout (it turns the client into a server), so `-rw_timeout` is the one, given once for the input
 * and once for the output.
 * - Dead source (publisher gone; nginx keeps the player waiting): exits about 2 x rw_timeout later.
 * - Destination that accepts and then stops reading: the kernel send buffer (grew to ~2.6 MB, ~8 s
 *   of a 720p stream) keeps `-progress` advancing for another 6-11 s, then no block comes until the
 *   write times out: exit 1, "Connection timed out", ~18 s after the stall. It does not block
 *   forever; a watchdog on `out_time` not advancing can act sooner.
 * - A single SIGINT does not interrupt a blocked read or write (FFmpeg only sets a flag until the
 *   second signal): stop with SIGINT, then SIGINT again after ~1 s, then SIGKILL.
 */

export interface ForwarderArgsInput {
  /** rtmp://127.0.0.1:1935/clean/{streamId} */
  sourceUrl: string;
  /** rtmp:// or rtmps:// URL including the stream key; FFmpeg takes the last path segment as the key. */
  destinationUrl: string;
}

export const FORWARDER_IO_TIMEOUT_MS = 5000;
/**
 * Upper bound of the probe. nginx-rtmp (default wait_key on) starts a player's video at the next
 * keyframe, up to one GOP (2 s) away, while audio flows at once unless `clean` has `wait_video on`:
 * the probe must outlast a GOP or the video stream is missed (200 ms missed it 5 times in 6).
 * `-fpsprobesize 0` lets it end once both streams are known. Start to first packet out, joining a
 * running stream: 0.7-1.9 s with `wait_video on`, 2.3-3.2 s without (the probe then runs its length).
 */
export const FORWARDER_MAX_PROBE_MS = 3000;

export function buildForwarderArgs(input: ForwarderArgsInput): string[] {
  if (!/^rtmps?:\/\//i.test(input.destinationUrl)) throw new RangeError('destination must be an rtmp:// or rtmps:// URL');
  const timeout = String(FORWARDER_IO_TIMEOUT_MS * 1000);
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-stats_period', '1'],
    ...['-fpsprobesize', '0', '-analyzeduration', String(FORWARDER_MAX_PROBE_MS * 1000), '-probesize', '5000000'],
    ...['-rw_timeout', timeout],
    ...rtmpAppPathOptions(input.sourceUrl),
    ...['-i', input.sourceUrl],
    // Both streams are required: a forwarder that missed the audio would send video only, for good.
    ...['-map', '0:v:0', '-map', '0:a:0', '-c', 'copy'],
    ...['-rw_timeout', timeout, '-f', 'flv', '-flvflags', 'no_duration_filesize', input.destinationUrl],
  ];
}
