// The server process of the API benchmark (started by run.ts, compiled by swc; see there).
// Runs the real app on the given database and Redis, creates one tenant, and answers
// run.ts over the IPC channel: ready -> queries/record -> stop.
import 'reflect-metadata';
import { createApp } from '../../src/app.factory';
import { AppsService } from '../../src/apps/apps.service';
import { testConfig } from '../../test/support/test-config';
import { QueryCounter } from './query-counter';
import { ParentMessage, SERVER_CONFIG_ENV, ServerMessage } from './server-protocol';

const queries = new QueryCounter();
queries.install();

function send(message: ServerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const overrides = JSON.parse(process.env[SERVER_CONFIG_ENV] ?? '{}') as Record<string, string>;
  const app = await createApp(testConfig(overrides));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const { apiKey } = await app.get(AppsService).create({ name: 'Bench', packageName: 'com.example.bench' });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app.close().catch(() => undefined);
    // A plain exit (not a signal) so that --cpu-prof gets written.
    process.exit(code);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', queries: queries.count, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (message.type === 'record') queries.startRecording();
    else if (message.type === 'recorded') send({ type: 'recorded', queries: queries.stopRecording() });
    else if (message.type === 'stop') void stop(0);
  });
  // The benchmark died without saying goodbye: do not outlive it.
  process.on('disconnect', () => void stop(1));
  send({ type: 'ready', port, apiKey });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
