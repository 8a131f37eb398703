import { spawn } from 'node:child_process';
import { rtmpAppPathOptions } from '../../relay/testkit/rtmp-app-path';

/**
 * A camera that already sends what the platforms want: constant 30 fps, a keyframe every 2 s, H.264
 * + AAC 48 kHz stereo, in real time. `halveRateAfterSec`: from then on every other picture is left
 * out (a dirty turn).
 */
export function publishCleanCamera(url: string, options: { seconds: number; halveRateAfterSec?: number }): Promise<void> {
  const halve = options.halveRateAfterSec;
  const video = halve === undefined ? [] : ['-vf', `select='lt(t,${halve})+not(mod(n,2))'`, '-fps_mode', 'vfr'];
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=30:d=${options.seconds}`],
    ...['-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${options.seconds}`],
    ...video,
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-b:v', '2000k'],
    ...['-c:a', 'aac', '-ar', '48000', '-ac', '2', '-b:a', '128k'],
    ...['-f', 'flv', ...rtmpAppPathOptions(url), url],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`camera exited ${code}: ${stderr}`))));
  });
}
