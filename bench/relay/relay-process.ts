// The relay agent's process in the relay benchmark (started by run.ts, compiled by swc like the
// API's server): the real RelayAgent with the settings run.ts passes, in a process of its own so
// that its CPU is its own and the benchmark's bookkeeping cannot starve it. Answers over IPC:
// ready -> stop -> exit. Stops its FFmpegs and nginx however it is told to go: a stop message,
// the benchmark's death (IPC disconnect), or the Ctrl-C the terminal sends to the process group.
import pino from 'pino';
import { RelayAgent } from '../../relay/src/agent/relay-agent';
import { parseRelayConfig } from '../../relay/src/agent/relay-config';
import { RELAY_CONFIG_ENV, RelayChildMessage, RelayParentMessage } from './relay-protocol';

function send(message: RelayChildMessage): void {
  try {
    process.send?.(message);
  } catch {
    // the benchmark is gone; nothing to tell
  }
}

let agent: RelayAgent | null = null;
let stopping: Promise<void> | null = null;

function stop(code: number): void {
  stopping ??= (agent?.stop() ?? Promise.resolve())
    .catch((error: unknown) => {
      process.stderr.write(`[relay] stop failed: ${String(error)}\n`);
    })
    .finally(() => process.exit(code));
}

async function main(): Promise<void> {
  const config = parseRelayConfig(JSON.parse(process.env[RELAY_CONFIG_ENV] ?? '{}') as Record<string, string>);
  agent = new RelayAgent(config, pino({ level: config.LOG_LEVEL }, pino.destination(2)));
  process.on('message', (message: RelayParentMessage) => {
    if (message.type === 'stop') stop(0);
  });
  process.on('disconnect', () => stop(1));
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
  await agent.start();
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  stop(1);
});
