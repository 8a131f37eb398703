// The original design's pipeline, the yardstick of the relay benchmark: one FFmpeg per stream that
// plays the glasses' publish from a plain nginx-rtmp and encodes it to HLS. Pure argument lists and
// nginx.conf; run.ts starts them.
import path from 'node:path';

/** Only what FFmpeg prints changes (no banner, warnings only, stdin not read); the media options are the original's. */
const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'warning'];

/** Input and encode of the original command, verbatim. */
function referenceInputAndEncode(inputUrl: string): string[] {
  return [
    ...['-fflags', '+genpts+igndts', '-use_wallclock_as_timestamps', '1', '-analyzeduration', '3M', '-i', inputUrl],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-level', '3.1'],
    ...['-r', '30', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0'],
    ...['-b:v', '2M', '-maxrate', '2.5M', '-bufsize', '4M', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-ar', '48000', '-ac', '2', '-b:a', '128k', '-reset_timestamps', '1'],
  ];
}

/** The reference command exactly (`$PATH` and `$HLS_DIR` filled in). */
export function referenceHlsArgs(inputUrl: string, hlsDir: string): string[] {
  return [
    ...QUIET,
    ...referenceInputAndEncode(inputUrl),
    ...['-f', 'hls', '-hls_time', '2', '-hls_list_size', '5', '-hls_flags', 'delete_segments'],
    ...['-hls_segment_filename', path.join(hlsDir, 'segment_%03d.ts'), path.join(hlsDir, 'index.m3u8')],
  ];
}

/**
 * The same input and encode with an FLV output to a destination instead of HLS: how the original
 * design reaches a platform (one such encode per destination), measured for "first packet at a
 * destination" and glass-to-destination latency. `-reset_timestamps 1` stays: FFmpeg ignores it
 * here as it does for HLS.
 */
export function referenceFlvArgs(inputUrl: string, destinationUrl: string): string[] {
  return [...QUIET, ...referenceInputAndEncode(inputUrl), '-f', 'flv', destinationUrl];
}

/**
 * A plain nginx-rtmp for the reference to read from: one `live` application with the module's
 * defaults (no wait_key, no callbacks). One foreground process. Info-level error log: it records
 * each play and publish, which tells us when the reference FFmpeg is waiting for the glasses.
 */
export function plainIngestConf(input: { modulePath: string; workDir: string; port: number }): string {
  const { modulePath, workDir, port } = input;
  return `load_module ${modulePath};
daemon off;
master_process off;
worker_processes 1;
pid ${path.join(workDir, 'nginx.pid')};
error_log ${path.join(workDir, 'error.log')} info;
events { worker_connections 256; }

rtmp {
    server {
        listen 127.0.0.1:${port};
        chunk_size 4096;
        application live {
            live on;
        }
    }
}
`;
}
