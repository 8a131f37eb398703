// The plain nginx-rtmp the reference pipeline reads from (reference-pipeline.ts has its config).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startProcess } from '../../relay/testkit/child-process';
import { findFreePort, findRtmpModule } from '../../relay/testkit/rtmp-sinks';
import { plainIngestConf } from './reference-pipeline';
import { portOpen } from '../../relay/src/nginx/nginx-server';

export interface PlainIngest {
  port: number;
  pid: number;
  /** How many players nginx has logged for stream `name` so far. */
  players(name: string): number;
  stop(): Promise<void>;
}

/** `parentDir`: where its working directory goes (removed on stop). */
export async function startPlainIngest(parentDir: string): Promise<PlainIngest> {
  const workDir = await mkdtemp(path.join(parentDir, 'reference-ingest-'));
  const port = await findFreePort();
  const confPath = path.join(workDir, 'nginx.conf');
  const errorLog = path.join(workDir, 'error.log');
  await writeFile(confPath, plainIngestConf({ modulePath: findRtmpModule(), workDir, port }));
  const nginx = startProcess('nginx', ['-p', workDir, '-e', errorLog, '-c', confPath]);
  const stop = async () => {
    await nginx.stop(3000);
    await rm(workDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5000;
  while (!(await portOpen(port))) {
    if (!nginx.isRunning() || Date.now() > deadline) {
      await stop();
      throw new Error(`the reference's nginx-rtmp did not start: ${nginx.stderrTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    pid: nginx.pid,
    players: (name) => {
      const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
      return log.split(`play: name='${name}'`).length - 1;
    },
    stop,
  };
}
