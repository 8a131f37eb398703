#!/usr/bin/env node
// `npm run cli -- <command>`: operator commands (apps:create, keys:rotate, ...) against the
// configured database, or the embedded one that `npm start` uses.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { LOCAL_SECRETS_FILE, prepare, readEnvFile, ROOT } from './prepare.mjs';

prepare({ build: true });
for (const [name, value] of Object.entries(readEnvFile(LOCAL_SECRETS_FILE))) process.env[name] ??= value;
let stopPostgres = async () => {};
const needsDatabase = process.argv[2] !== 'admin:hash-password';
if (needsDatabase && !process.env.DATABASE_URL) {
  const { ensurePostgres } = await import('./services/postgres.mjs');
  const postgres = await ensurePostgres({ log: () => {} });
  process.env.DATABASE_URL = postgres.url;
  stopPostgres = postgres.stop;
}
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379'; // parsed by the config, not used by the CLI
const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
await stopPostgres();
process.exit(result.status ?? 1);
