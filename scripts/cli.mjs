#!/usr/bin/env node
// `npm run cli -- <command>`: operator commands (apps:create, keys:rotate, ...) against the
// configured database, or the embedded one that `npm start` uses.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepare, ROOT } from './prepare.mjs';

prepare({ build: true });
const secrets = path.join(ROOT, '.data', 'secrets.env');
if (existsSync(secrets)) {
  for (const line of readFileSync(secrets, 'utf8')
    .split('\n')
    .filter((l) => l.includes('='))) {
    process.env[line.slice(0, line.indexOf('='))] ??= line.slice(line.indexOf('=') + 1);
  }
}
let stopPostgres = async () => {};
if (!process.env.DATABASE_URL) {
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
