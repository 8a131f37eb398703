#!/usr/bin/env node
// `npm run cli -- <command>`: operator commands (apps:create, keys:rotate, ...) against the
// configured database (DATABASE_URL), or else the embedded one of `npm start` in .data/ (or
// RESTREAM_DATA_DIR): the running service's Postgres when it is up (found from the postmaster.pid
// in its data dir), otherwise the CLI starts that Postgres itself for the command's duration.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DATA_DIR, LOCAL_SECRETS_FILE, loadOrCreateLocalSecrets, prepare, readEnvFile, ROOT } from './prepare.mjs';

prepare({ build: true });
// With the embedded database, the local secrets too (made here when the CLI runs before `npm start`).
const secrets = process.env.DATABASE_URL ? readEnvFile(LOCAL_SECRETS_FILE) : loadOrCreateLocalSecrets();
for (const [name, value] of Object.entries(secrets)) process.env[name] ||= value;
let stopPostgres = async () => {};
const needsDatabase = process.argv[2] !== 'admin:hash-password';
if (needsDatabase && !process.env.DATABASE_URL) {
  const { runningEmbeddedPostgres, startEmbeddedPostgres } = await import('./services/postgres.mjs');
  const dataDir = path.join(DATA_DIR, 'postgres');
  const running = runningEmbeddedPostgres({ dataDir });
  if (running) {
    process.env.DATABASE_URL = running.url;
  } else {
    const postgres = await startEmbeddedPostgres({ dataDir, port: 5432, database: 'restream', log: () => {} });
    process.env.DATABASE_URL = postgres.url;
    stopPostgres = postgres.stop;
    // Before the first `npm start` the database is empty. (A running service has migrated its own.)
    const require = createRequire(import.meta.url);
    const { applyMigrations } = require(path.join(ROOT, 'dist', 'src', 'database', 'migrations.js'));
    await applyMigrations(postgres.url, { logger: () => {} }).catch(async (error) => {
      await stopPostgres();
      throw error;
    });
  }
}
process.env.REDIS_URL ||= 'redis://127.0.0.1:6379'; // parsed by the config, not used by the CLI
const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
await stopPostgres();
process.exit(result.status ?? 1);
