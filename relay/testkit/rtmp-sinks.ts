import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './child-process';
import { buildNginxRtmpConf, recordingDir } from './nginx-rtmp-conf';
import { findRtmpModule } from '../src/nginx/nginx-server';

/** Real RTMP servers (nginx-rtmp, one foreground child) that accept publishes and record them. */

export interface RtmpSinks {
  port: number;
  workDir: string;
  urlFor(app: string, key: string): string;
  /** Path nginx records `key` to; without a key, the most recently written recording of `app`. */
  recordingFor(app: string, key?: string): string;
  /** Every recording of `key`, oldest first: one per publish with `recordUnique`. */
  recordingsFor(app: string, key: string): string[];
  errorLog(): string;
  /** Resolves once nginx has logged a player for `key` (join before publishing to get the first keyframe). */
  waitForPlayer(key: string, timeoutMs?: number): Promise<void>;
  /** Stops nginx; keeps the recordings unless `removeFiles`. */
  stop(options?: { removeFiles?: boolean }): Promise<void>;
}

export interface RtmpSinkOptions {
  apps: readonly string[];
  port?: number;
  nginxPath?: string;
  modulePath?: string;
  startTimeoutMs?: number;
  /** Keep one recording per publish (see recordingsFor) rather than the last one only. */
  recordUnique?: boolean;
  /** Asked before each publish (nginx-rtmp on_publish): a 4xx refuses the key. */
  onPublishUrl?: string;
}

const HOST = '127.0.0.1';

// The relay's own lookup: one list of where Debian puts the module.
export { findRtmpModule };

export async function startRtmpSinks(options: RtmpSinkOptions): Promise<RtmpSinks> {
  const workDir = await mkdtemp(join(tmpdir(), 'rtmp-sinks-'));
  const port = options.port ?? (await findFreePort());
  const errorLogPath = join(workDir, 'error.log');
  const confPath = join(workDir, 'nginx.conf');
  await Promise.all(options.apps.map((app) => mkdir(recordingDir(workDir, app), { recursive: true })));
  const modulePath = options.modulePath ?? findRtmpModule();
  await writeFile(
    confPath,
    buildNginxRtmpConf({
      port,
      workDir,
      modulePath,
      apps: options.apps,
      host: HOST,
      recordUnique: options.recordUnique,
      onPublishUrl: options.onPublishUrl,
    }),
  );
  // -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
  const nginx = startProcess(options.nginxPath ?? 'nginx', ['-p', workDir, '-e', errorLogPath, '-c', confPath]);
  const errorLog = (): string => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');
  try {
    await waitForListening(port, options.startTimeoutMs ?? 5000, () => nginx.isRunning());
  } catch (error) {
    await nginx.stop(500);
    const detail = `${nginx.stderrTail()}\n${errorLog()}`.trim();
    throw new Error(`nginx-rtmp did not start: ${(error as Error).message}\n${detail}`);
  }
  return {
    port,
    workDir,
    urlFor: (app, key) => `rtmp://${HOST}:${port}/${app}/${key}`,
    recordingFor: (app, key) => (key ? join(recordingDir(workDir, app), `${key}.flv`) : latestRecording(workDir, app)),
    recordingsFor: (app, key) => recordingsOf(workDir, app, key),
    errorLog,
    waitForPlayer: (key, timeoutMs = 5000) =>
      waitFor(() => errorLog().includes(`play: name='${key}'`), timeoutMs, `a player for ${key}`),
    stop: async ({ removeFiles = false } = {}) => {
      await nginx.stop(3000);
      if (removeFiles) await rm(workDir, { recursive: true, force: true });
    },
  };
}

function latestRecording(workDir: string, app: string): string {
  const dir = recordingDir(workDir, app);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.flv'))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (files.length === 0) throw new Error(`no recording yet for application "${app}" in ${dir}`);
  return files[0].path;
}

function recordingsOf(workDir: string, app: string, key: string): string[] {
  const dir = recordingDir(workDir, app);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}(-(\\d+))?\\.flv$`);
  return readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((f) => f.match)
    .sort((a, b) => Number(a.match?.[2] ?? 0) - Number(b.match?.[2] ?? 0))
    .map((f) => join(dir, f.name));
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

async function waitForListening(port: number, timeoutMs: number, stillRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!stillRunning()) throw new Error('nginx exited during start-up');
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${HOST}:${port} after ${timeoutMs} ms`);
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
