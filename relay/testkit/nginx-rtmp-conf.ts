import { join } from 'node:path';

/**
 * Pure: nginx.conf for throw-away RTMP sinks standing in for YouTube/Twitch. One foreground process
 * (`daemon off`, `master_process off`), so stopping it is stopping one pid and, run as root, it writes
 * recordings as root (with a master, workers would drop to `nobody` and fail to write into a 0700 temp dir).
 */

export const APP_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export interface NginxRtmpConfInput {
  port: number;
  /** All state (pid, logs, recordings) lives here. */
  workDir: string;
  modulePath: string;
  apps: readonly string[];
  host?: string;
  /** One recording per publish (`<key>-<unix seconds>.flv`) instead of each publish overwriting `<key>.flv`. */
  recordUnique?: boolean;
  /** nginx-rtmp's on_publish: a 2xx from this URL lets a publish start, anything else drops it (a key refused). */
  onPublishUrl?: string;
}

export function recordingDir(workDir: string, app: string): string {
  return join(workDir, 'recordings', app);
}

export function buildNginxRtmpConf(input: NginxRtmpConfInput): string {
  const { port, workDir, modulePath, apps } = input;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`bad port ${port}`);
  if (apps.length === 0) throw new RangeError('at least one application');
  for (const app of apps) {
    if (!APP_NAME_PATTERN.test(app)) throw new RangeError(`bad application name "${app}"`);
  }
  const applications = apps.map((app) =>
    [
      `        application ${app} {`,
      '            live on;',
      // Every publish is recorded as <key>.flv exactly as received, for the cleanliness checker.
      '            record all;',
      `            record_path ${recordingDir(workDir, app)};`,
      `            record_unique ${input.recordUnique ? 'on' : 'off'};`,
      ...(input.onPublishUrl ? [`            on_publish ${input.onPublishUrl};`] : []),
      '        }',
    ].join('\n'),
  );
  return [
    `load_module ${modulePath};`,
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(workDir, 'nginx.pid')};`,
    `error_log ${join(workDir, 'error.log')} info;`,
    'events { worker_connections 256; }',
    'rtmp {',
    `    access_log ${join(workDir, 'rtmp-access.log')};`,
    '    server {',
    `        listen ${input.host ?? '127.0.0.1'}:${port};`,
    '        chunk_size 4096;',
    ...applications,
    '    }',
    '}',
    '',
  ].join('\n');
}
