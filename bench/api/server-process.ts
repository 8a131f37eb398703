// run.ts's handle on the server child process (server.ts, compiled).
import { ChildProcess, spawn } from 'node:child_process';
import type { RecordedQuery } from './query-counter';
import { ParentMessage, SERVER_CONFIG_ENV, ServerMessage } from './server-protocol';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly apiKey: string,
    private readonly exited: Promise<void>,
  ) {}

  /** Starts `script` with `nodeArgs` (e.g. --cpu-prof) and waits until it listens. */
  static async start(opts: {
    script: string;
    cwd: string;
    nodeArgs: string[];
    config: Record<string, string>;
  }): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...opts.nodeArgs, opts.script], {
      cwd: opts.cwd,
      env: { ...process.env, [SERVER_CONFIG_ENV]: JSON.stringify(opts.config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const ready = await new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      child.on('message', (message: ServerMessage) => {
        if (message.type === 'ready') resolve(message);
        if (message.type === 'error') reject(new Error(`server failed to start:\n${message.message}`));
      });
      child.once('error', reject);
      void exited.then(() => reject(new Error(`server exited during start-up (${child.exitCode ?? child.signalCode})`)));
    })
      .catch((error: unknown) => {
        child.kill('SIGKILL');
        throw error;
      })
      .finally(() => clearTimeout(timer));
    return new ServerProcess(child, `http://127.0.0.1:${ready.port}`, ready.apiKey, exited);
  }

  /** Null while the server runs; otherwise how it ended. */
  get exitStatus(): string | null {
    if (this.child.signalCode !== null) return this.child.signalCode;
    return this.child.exitCode === null ? null : `exit code ${this.child.exitCode}`;
  }

  /** Counters since start: SQL statements sent, and CPU time used (user + system). */
  async stats(): Promise<{ queries: number; cpuMs: number }> {
    const { queries, cpuMs } = await this.ask({ type: 'stats' }, 'stats');
    return { queries, cpuMs };
  }

  startRecording(): void {
    this.tell({ type: 'record' });
  }

  async stopRecording(): Promise<RecordedQuery[]> {
    return (await this.ask({ type: 'recorded' }, 'recorded')).queries;
  }

  /** Asks the server to close (so --cpu-prof is written); kills it if it does not within a grace period. */
  async stop(): Promise<void> {
    if (this.exitStatus !== null) return;
    if (this.child.connected) this.tell({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private tell(message: ParentMessage): void {
    this.child.send(message);
  }

  private ask<T extends ServerMessage['type']>(
    message: ParentMessage,
    replyType: T,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: ServerMessage) => {
        if (reply.type !== replyType) return;
        this.child.off('message', onMessage);
        resolve(reply as Extract<ServerMessage, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.send(message, (error) => {
        if (error) {
          this.child.off('message', onMessage);
          reject(error);
        }
      });
    });
  }
}
