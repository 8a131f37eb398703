import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, parseConfig } from './config/config.schema';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  // Before the logger exists, stderr is the only place to say why start-up failed.
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
