// run.ts's handle on a relay agent process (relay-process.ts, compiled: the current agent, or the
// baseline's), and what the benchmark reads from the relay: its FFmpeg pids (the agent's pid files),
// /metrics and nginx-rtmp's /stat.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RELAY_CONFIG_ENV, RelayChildMessage, RelayParentMessage } from './relay-protocol';

const READY_TIMEOUT_MS = 30_000;
/** The agent stops FFmpeg with SIGINT, SIGTERM, then SIGKILL within its RELAY_STOP_GRACE_MS. */
const STOP_TIMEOUT_MS = 20_000;

export interface RelaySettings {
  workDir: string;
  rtmpPort: number;
  hlsPort: number;
  controlPort: number;
}

export class RelayHandle {
  private pidCache: { at: number; files: Map<string, number> } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    /** How the results name it: "relay" (this commit) or "today" (the baseline). */
    readonly name: string,
    readonly settings: RelaySettings,
    private readonly exited: Promise<void>,
  ) {}

  static async start(opts: {
    name: string;
    script: string;
    cwd: string;
    settings: RelaySettings;
    env: Record<string, string>;
  }): Promise<RelayHandle> {
    const child = spawn(process.execPath, [opts.script], {
      cwd: opts.cwd,
      env: { ...process.env, [RELAY_CONFIG_ENV]: JSON.stringify(opts.env) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the relay did not start within ${READY_TIMEOUT_MS / 1000} s`)),
        READY_TIMEOUT_MS,
      );
      child.on('message', (message: RelayChildMessage) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'error') reject(new Error(`the relay failed to start:\n${message.message}`));
      });
      child.once('error', reject);
      void exited.then(() => reject(new Error(`the relay exited during start-up (${child.exitCode ?? child.signalCode})`)));
    })
      .catch(async (error: unknown) => {
        // It stops its own nginx on the way out; give it the chance.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        throw error;
      })
      .finally(() => clearTimeout(timer));
    return new RelayHandle(child, opts.name, opts.settings, exited);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The FFmpeg processes of one stream, from the agent's pid files: `<streamId>-encoder` (since
   * 5b6ec37 the only one), and before that `<streamId>-<destinationId>` for each forwarder.
   */
  streamProcesses(streamId: string): Map<number, string> {
    const found = new Map<number, string>();
    for (const [name, pid] of this.cachedPidFiles()) {
      if (!name.startsWith(`${streamId}-`)) continue;
      found.set(pid, name.slice(streamId.length + 1));
    }
    return found;
  }

  /** Every FFmpeg the agent runs now. */
  allFfmpegPids(): number[] {
    return [...this.pidFiles().values()];
  }

  nginxPid(): number | null {
    return readPid(path.join(this.settings.workDir, 'run-nginx.pid'));
  }

  hlsPlaylist(userSegment: string, streamId: string): string {
    return path.join(this.settings.workDir, 'hls', userSegment, streamId, 'index.m3u8');
  }

  /** Prometheus text from the agent's control port. */
  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.settings.controlPort}/metrics`, { signal: AbortSignal.timeout(5000) });
    return response.text();
  }

  /** nginx-rtmp's statistics XML. */
  async stat(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.settings.hlsPort}/stat`, { signal: AbortSignal.timeout(5000) });
    return response.text();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies RelayParentMessage);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Many streams' samplers ask within the same tick: read the directory at most every 100 ms. */
  private cachedPidFiles(): Map<string, number> {
    const now = Date.now();
    if (!this.pidCache || now - this.pidCache.at > 100) this.pidCache = { at: now, files: this.pidFiles() };
    return this.pidCache.files;
  }

  private pidFiles(): Map<string, number> {
    const dir = path.join(this.settings.workDir, 'run');
    const found = new Map<string, number>();
    if (!existsSync(dir)) return found;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.pid')) continue;
      const pid = readPid(path.join(dir, file));
      if (pid !== null) found.set(file.slice(0, -'.pid'.length), pid);
    }
    return found;
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

/** `relay_encoder_lag_seconds{stream="ms_x"} 1.2` -> Map(ms_x -> 1.2) for one metric name. */
export function metricByStream(text: string, name: string): Map<string, number> {
  const values = new Map<string, number>();
  const pattern = new RegExp(`^${name}\\{[^}]*stream="([^"]+)"[^}]*\\}\\s+(\\S+)`, 'gm');
  for (const match of text.matchAll(pattern)) values.set(match[1], Number(match[2]));
  return values;
}

/**
 * Frames nginx-rtmp dropped for the players of each stream of `app` (on `live`: the agent's RTMP
 * player since 5b6ec37, the encoder before): it drops when a player falls so far behind that its
 * queue overflows, i.e. the relay cannot keep up.
 * Keyed by stream name (`{userSegment}/{streamId}` on `live`).
 */
export function droppedByStream(statXml: string, app: string): Map<string, number> {
  const dropped = new Map<string, number>();
  const application = new RegExp(`<application>\\s*<name>${app}</name>([\\s\\S]*?)</application>`).exec(statXml);
  if (!application) return dropped;
  for (const stream of application[1].matchAll(/<stream>\s*<name>([^<]+)<\/name>([\s\S]*?)<\/stream>/g)) {
    let sum = 0;
    for (const client of stream[2].matchAll(/<client>([\s\S]*?)<\/client>/g)) {
      if (client[1].includes('<publishing/>')) continue;
      sum += Number(/<dropped>(\d+)<\/dropped>/.exec(client[1])?.[1] ?? '0');
    }
    dropped.set(stream[1], sum);
  }
  return dropped;
}
