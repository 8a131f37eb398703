import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, parseConfig } from './config/config.schema';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  // Started by scripts/start.mjs over IPC: when it goes away, so do we.
  if (process.send) process.once('disconnect', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  // Before the logger exists, stderr is the only place to say why start-up failed.
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
