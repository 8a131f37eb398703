import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { ManagedProcess } from '../process/managed-process';
import { isAlive, livePidFrom } from '../process/orphans';
import { buildRelayNginxConf, hlsRoot, LIVE_APP, RelayNginxConfInput } from './relay-nginx-conf';

const MODULE_CANDIDATES = [
  '/usr/lib/nginx/modules/ngx_rtmp_module.so',
  '/usr/share/nginx/modules/ngx_rtmp_module.so',
  '/usr/local/nginx/modules/ngx_rtmp_module.so',
];

export function findRtmpModule(explicit?: string): string {
  const found = explicit ?? MODULE_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found || !existsSync(found)) {
    throw new Error('The nginx RTMP module was not found: install the Debian packages nginx and libnginx-mod-rtmp');
  }
  return found;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** nginx with the RTMP module, as one foreground child of the agent. */
export class NginxServer {
  private process: ManagedProcess | null = null;
  /** An nginx a previous agent started and that still serves: kept, so live publishers stay connected. */
  private adoptedPid: number | null = null;
  private adoptedWatch: NodeJS.Timeout | null = null;

  constructor(
    private readonly nginxPath: string,
    private readonly conf: Omit<RelayNginxConfInput, 'modulePath'> & { modulePath?: string },
  ) {}

  get pid(): number | undefined {
    return this.adoptedPid ?? this.process?.pid;
  }

  get adopted(): boolean {
    return this.adoptedPid !== null;
  }

  errorLog(): string {
    const file = path.join(this.conf.workDir, 'nginx-error.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async start(onUnexpectedExit: () => void): Promise<void> {
    const { workDir } = this.conf;
    const survivor = livePidFrom(path.join(workDir, 'run-nginx.pid'), 'nginx');
    if (survivor !== null && (await portOpen(this.conf.rtmpPort)) && (await portOpen(this.conf.hlsPort))) {
      this.adoptedPid = survivor;
      this.adoptedWatch = setInterval(() => {
        if (this.adoptedPid !== null && !isAlive(this.adoptedPid)) {
          this.adoptedPid = null;
          if (this.adoptedWatch) clearInterval(this.adoptedWatch);
          onUnexpectedExit();
        }
      }, 1000);
      return;
    }
    if (survivor !== null) process.kill(survivor, 'SIGKILL');
    for (const dir of [workDir, hlsRoot(workDir), path.join(workDir, 'tmp')]) mkdirSync(dir, { recursive: true });
    const confPath = path.join(workDir, 'nginx.conf');
    writeFileSync(confPath, buildRelayNginxConf({ ...this.conf, modulePath: findRtmpModule(this.conf.modulePath) }));
    const errorLog = path.join(workDir, 'nginx-error.log');
    const nginx = new ManagedProcess({
      command: this.nginxPath,
      // -e: nginx opens its compiled-in error log before reading the config.
      args: ['-p', workDir, '-e', errorLog, '-c', confPath],
      pidFile: path.join(workDir, 'run-nginx.pid'),
      onExit: (exit) => {
        if (!exit.requested) onUnexpectedExit();
      },
    });
    this.process = nginx;
    nginx.start();
    const deadline = Date.now() + 5000;
    while (!(await portOpen(this.conf.rtmpPort)) || !(await portOpen(this.conf.hlsPort))) {
      if (nginx.state === 'exited' || Date.now() > deadline) {
        await nginx.stop(500);
        throw new Error(`nginx did not start: ${nginx.stderrTail().join('\n')}\n${this.errorLog().slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(graceMs: number): Promise<void> {
    if (this.adoptedWatch) clearInterval(this.adoptedWatch);
    if (this.adoptedPid !== null) {
      const pid = this.adoptedPid;
      this.adoptedPid = null;
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(path.join(this.conf.workDir, 'run-nginx.pid'), { force: true });
    }
    await this.process?.stop(graceMs);
  }

  /** nginx-rtmp's control module: disconnects the publisher of a live stream. */
  /** Ends a publisher's session; resolves once nginx no longer lists it (at most ~1 s later). */
  async dropPublisher(streamName: string): Promise<void> {
    // nginx-rtmp compares the raw query value with the stream name: `/` must stay unescaped.
    if (!/^[A-Za-z0-9_/-]+$/.test(streamName)) throw new RangeError('not a stream name the relay publishes');
    const url = `http://127.0.0.1:${this.conf.hlsPort}/control/drop/publisher?app=${LIVE_APP}&name=${streamName}`;
    await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    for (let waited = 0; waited < 1000 && (await this.livePublishers()).includes(streamName); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** nginx-rtmp's statistics page (XML), or null when nginx does not answer. */
  private async stat(timeoutMs = 2000): Promise<string | null> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.conf.hlsPort}/stat`, { signal: AbortSignal.timeout(timeoutMs) });
      return await response.text();
    } catch {
      return null;
    }
  }

  /** How many RTMP clients are connected. */
  async connectedClients(): Promise<number | null> {
    const xml = await this.stat();
    if (xml === null) return null;
    const match = /<server>[\s\S]*?<\/server>/.exec(xml);
    return match ? (match[0].match(/<client>/g) ?? []).length : 0;
  }

  /**
   * Resolves once a player (our encoder) is attached to live/{name}, or after the timeout.
   * nginx-rtmp keeps no GOP cache: a player that joins after the publish starts sees no video
   * until the next keyframe, and glasses may send one only every few seconds.
   */
  async waitForPlayer(streamName: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const escaped = streamName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`<stream>\\s*<name>${escaped}</name>([\\s\\S]*?)</stream>`);
    while (Date.now() < deadline) {
      // No answer (nginx busy or restarting): try again until the deadline.
      const stream = pattern.exec((await this.stat(1000)) ?? '');
      if (stream && /<client>/.test(stream[1])) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /** Names of streams being published to the live application, from /stat. */
  async livePublishers(): Promise<string[]> {
    const app = new RegExp(`<application>\\s*<name>${LIVE_APP}</name>([\\s\\S]*?)</application>`).exec((await this.stat()) ?? '');
    if (!app) return [];
    return [...app[1].matchAll(/<stream>\s*<name>([^<]+)<\/name>[\s\S]*?<\/stream>/g)]
      .filter((stream) => stream[0].includes('<publishing/>'))
      .map((stream) => stream[1]);
  }
}
