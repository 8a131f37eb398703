import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface HlsFixture {
  /** The playlist URL, as a relay would report it in hls-ready. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };

/**
 * A few seconds of real H.264 HLS, encoded by FFmpeg and served over HTTP with CORS like the relay's
 * HLS server, so the dashboard's preview has real video to play without a glasses publisher.
 */
export async function startHlsFixture(): Promise<HlsFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'admin-ui-hls-'));
  const encoded = spawnSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '8'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30'],
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', path.join(dir, 'index.m3u8')],
    ],
    { encoding: 'utf8' },
  );
  if (encoded.status !== 0) throw new Error(`ffmpeg could not make the HLS fixture: ${encoded.error?.message ?? encoded.stderr}`);

  const server = http.createServer((request, response) => {
    const file = path.join(dir, path.basename(new URL(request.url ?? '/', 'http://x').pathname));
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.m3u8`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
