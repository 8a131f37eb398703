import path from 'node:path';
import type { Logger } from 'pino';
import { ManagedProcess, type ManagedProcessOptions } from '../process/managed-process';

/** Lines of one process's stderr logged per minute at most; FFmpeg can repeat a warning per frame. */
const STDERR_LINES_PER_MINUTE = 30;

/**
 * Starts the relay's FFmpeg processes: a pid file each (so an agent restarted after a crash finds
 * orphans) and their error output in the relay's log. No process gets a secret in its arguments:
 * destination keys never leave this process's memory.
 */
export class FfmpegLauncher {
  constructor(
    private readonly ffmpegPath: string,
    private readonly runDir: string,
    private readonly log: Logger,
  ) {}

  create(
    label: string,
    context: Record<string, string>,
    options: Omit<ManagedProcessOptions, 'command' | 'pidFile'>,
  ): ManagedProcess {
    let windowStart = Date.now();
    let logged = 0;
    return new ManagedProcess({
      ...options,
      command: this.ffmpegPath,
      pidFile: path.join(this.runDir, `${label}.pid`),
      onStderrLine: (line) => {
        options.onStderrLine?.(line);
        if (Date.now() - windowStart > 60_000) {
          windowStart = Date.now();
          logged = 0;
        }
        if (++logged <= STDERR_LINES_PER_MINUTE) this.log.warn({ ...context, ffmpeg: line.slice(0, 500) }, 'ffmpeg says');
      },
    });
  }
}
