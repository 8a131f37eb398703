#!/usr/bin/env node
// `npm start`: the service with everything it needs. Postgres and Redis come from DATABASE_URL
// and REDIS_URL when set, otherwise embedded ones under .data/; secrets are generated once into
// .data/secrets.env unless the environment provides them. The first run creates a demo app.
// RESTREAM_DATA_DIR puts all of .data/ elsewhere (a second instance beside the first, a test).
//
// Every child runs detached (its own session and process group), so a terminal's Ctrl-C (SIGINT
// to the foreground group) reaches this process only; it then stops them in order: the API (which ends its SSE
// responses first), the relay agent, Redis, Postgres. SIGTERM and SIGHUP do the same.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { createRequire } from 'node:module';
import { DATA_DIR, LOCAL_SECRETS_FILE, loadOrCreateLocalSecrets, prepare, ROOT } from './prepare.mjs';
import { ensureRelayPackages } from './services/relay-packages.mjs';
import { superviseChild } from './services/supervisor.mjs';

const log = (msg) => process.stderr.write(`[start] ${msg}\n`);
const SECRETS_FILE = LOCAL_SECRETS_FILE;
/** Nest closes in well under a second; past this the API is killed so Redis and Postgres can stop. */
const API_STOP_GRACE_MS = 5_000;

async function main() {
  prepare({ build: true });
  const secrets = loadOrCreateLocalSecrets(log);
  // An empty variable (docker-compose's `${X:-}`) counts as unset.
  for (const [name, value] of Object.entries(secrets)) if (!process.env[name]) process.env[name] = value;
  await ensureAdminPassword();
  const runRelay = process.env.RELAY_ENABLED !== 'false' && ensureRelayPackages(log);
  if (!runRelay && !process.env.RTMP_RELAY_URLS) {
    // Without our own agent, point streams at a relay expected on this machine's default ports.
    process.env.RTMP_RELAY_URLS = 'rtmp://127.0.0.1:1935';
    process.env.RTMP_RELAY_HLS_URLS = 'http://127.0.0.1:8888';
  }

  const { ensurePostgres } = await import('./services/postgres.mjs');
  const { ensureRedis } = await import('./services/redis.mjs');
  const [postgres, redis] = await Promise.all([
    ensurePostgres({ dataDir: path.join(DATA_DIR, 'postgres'), log: (msg) => log(`postgres: ${msg}`) }),
    ensureRedis({ dataDir: path.join(DATA_DIR, 'redis'), log: (msg) => log(`redis: ${msg}`) }),
  ]);
  process.env.DATABASE_URL = postgres.url;
  process.env.REDIS_URL = redis.url;

  const require = createRequire(import.meta.url);
  const { applyMigrations } = require(path.join(ROOT, 'dist', 'src', 'database', 'migrations.js'));
  await applyMigrations(postgres.url, { logger: (msg) => log(`migrations: ${msg}`) });
  await createDemoAppOnFirstRun(postgres.url);

  // An IPC channel ties the children to us: they stop when it closes, even if we are killed hard.
  // stdin stays ours: the children are detached from the terminal.
  const server = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: process.env,
    detached: true,
  });
  const relay = runRelay ? startRelayAgent() : null;
  let shuttingDown = false;
  let killTimer = null;
  // The API first: it tells SSE clients, finishes its requests and still has Redis and Postgres
  // meanwhile; the rest follows once it has exited (see stopAll).
  const shutdown = (why) => {
    if (shuttingDown) return; // npm forwards the terminal's SIGINT too: one Ctrl-C may arrive twice
    shuttingDown = true;
    log(`${why}: stopping the API, then ${relay ? 'the relay agent, ' : ''}Redis and Postgres`);
    server.kill('SIGTERM');
    killTimer = setTimeout(() => {
      log(`the API did not stop within ${API_STOP_GRACE_MS} ms: SIGKILL`);
      server.kill('SIGKILL');
    }, API_STOP_GRACE_MS);
  };
  const stopAll = async (code) => {
    clearTimeout(killTimer);
    if (relay) {
      await relay.stop();
      stopLeftoverNginx();
    }
    await redis.stop().catch(() => {});
    await postgres.stop().catch(() => {});
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(signal));
  // `npm start` killed without its children (e.g. by `timeout`): we are reparented; stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent gone');
  }, 1000).unref();
  server.on('exit', (code, signal) => {
    shuttingDown = true; // a signal from now on finds everything already stopping
    log(`service exited (${signal ?? code})`);
    void stopAll(code ?? 0);
  });
  log(`API on http://127.0.0.1:${process.env.PORT ?? 3000} (docs: /api/docs, health: /health)`);
}

/**
 * The relay agent beside the API: nginx-rtmp on 1935, HLS on 8888, registered with the API.
 * Restarted whenever it exits on its own (crash, kill -9): a new agent adopts the running nginx
 * and resumes the live streams, so the API never goes on without a relay.
 */
function startRelayAgent() {
  const env = {
    ...process.env,
    RELAY_API_URL: `http://127.0.0.1:${process.env.PORT ?? 3000}`,
    RELAY_TOKEN: process.env.RELAY_TOKENS.split(',')[0].trim(),
    RELAY_WORK_DIR: relayWorkDir(),
    // nginx checks the recording links the API signs.
    ...(process.env.RECORDING_URL_SECRET ? { RELAY_RECORDING_URL_SECRET: process.env.RECORDING_URL_SECRET } : {}),
  };
  log(`relay agent: RTMP on :${env.RELAY_RTMP_PORT ?? 1935}, HLS on :${env.RELAY_HLS_PORT ?? 8888}`);
  return superviseChild({
    name: 'relay agent',
    spawnChild: () =>
      spawn(process.execPath, [path.join(ROOT, 'dist', 'relay', 'src', 'main.js')], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env,
        detached: true, // its nginx and FFmpeg too: stopped by the agent, after the API
      }),
    log,
    // The agent ends its streams, then nginx, each within RELAY_STOP_GRACE_MS (5 s by default).
    stopGraceMs: 20_000,
  });
}

const relayWorkDir = () => process.env.RELAY_WORK_DIR ?? path.join(DATA_DIR, 'relay');

/**
 * An agent that died (kill -9) leaves its nginx running for the next agent to adopt; when we shut
 * down during the restart backoff there is no next agent, so that nginx is stopped here.
 */
function stopLeftoverNginx() {
  // The pid file relay/src/nginx/nginx-server.ts gives nginx; the command line guards against a reused pid.
  const pidFile = path.join(relayWorkDir(), 'run-nginx.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nginx')) return;
    process.kill(pid, 'SIGTERM'); // nginx's fast shutdown, as the agent stops it
    log(`stopped the nginx a killed relay agent left behind (pid ${pid})`);
  } catch {
    // already gone
  }
}

/** First run: a dashboard password, printed once; only its hash is kept (in secrets.env). */
async function ensureAdminPassword() {
  if (process.env.ADMIN_PASSWORD_HASH) return;
  const password = randomBytes(18).toString('base64url');
  const require = createRequire(import.meta.url);
  const { hashPassword } = require(path.join(ROOT, 'dist', 'src', 'admin', 'auth', 'admin-password.js'));
  process.env.ADMIN_PASSWORD_HASH = await hashPassword(password);
  appendFileSync(SECRETS_FILE, `ADMIN_PASSWORD_HASH=${process.env.ADMIN_PASSWORD_HASH}\n`);
  log(
    `admin dashboard: http://127.0.0.1:${process.env.PORT ?? 3000}/admin, user "${process.env.ADMIN_USERNAME || 'admin'}", ` +
      `password (shown once, store it now): ${password}`,
  );
}

async function createDemoAppOnFirstRun(databaseUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM "App"');
  await client.end();
  if (rows[0].n > 0) return;
  log('first run: creating a demo app');
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'apps:create', 'Demo app', '--package-name', 'demo'],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
  if (result.status !== 0) throw new Error('could not create the demo app');
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
