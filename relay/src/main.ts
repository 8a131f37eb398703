import pino from 'pino';
import { RelayAgent } from './agent/relay-agent';
import { parseRelayConfig } from './agent/relay-config';

/** The relay agent process: `node dist/relay/src/main.js` (see relay/README.md). */
async function main(): Promise<void> {
  const config = parseRelayConfig(process.env);
  const log = pino({
    level: config.LOG_LEVEL,
    base: { relayId: config.RELAY_ID },
    redact: { paths: ['*.url', '*.key', '*.token', '*.destinationUrl'], censor: '[redacted]' },
  });
  let stopping = false;
  // After a drain the agent has stopped; a shutdown under way exits on its own.
  const agent = new RelayAgent(config, log, { onDrained: () => stopping || process.exit(0) });
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ error: (error as Error).message }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  // SIGTERM (Kubernetes' pod stop) drains; a second one stops now.
  process.on('SIGTERM', () => {
    if (agent.isDraining) shutdown('SIGTERM');
    else {
      log.info({ drainSeconds: config.RELAY_DRAIN_SECONDS }, 'SIGTERM: draining');
      void agent.drain('SIGTERM');
    }
  });
  // Started by scripts/start.mjs over IPC: when it goes away, so do we.
  if (process.send) process.once('disconnect', () => shutdown('parent gone'));
  await agent.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
