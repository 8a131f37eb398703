// Throwaway Postgres and Redis for one test run (jest's globalSetup), plus the
// migrated template database each test file clones (STYLE.md: "migrate once into a
// template database, then a fresh clone per test file").
//
// TEST_DATABASE_URL / TEST_REDIS_URL point the run at existing servers instead; the
// service's own DATABASE_URL / REDIS_URL are deliberately ignored, so a test run never
// touches the development database.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { startEmbeddedPostgres } from './postgres.mjs';
import { startRedisServer } from './redis.mjs';

export const TEMPLATE_DATABASE = 'restream_template';
/** Clones are named `${CLONE_PREFIX}${runId}_...` (see test/setup/test-database.ts). */
export const CLONE_PREFIX = 'restream_test_';
const MIGRATIONS_MODULE = new URL('../../src/database/migrations.ts', import.meta.url);
const silent = () => undefined;

/**
 * @param {{ log?: (msg: string) => void, migrationsDir?: string }} [opts]
 * @returns {Promise<{ databaseUrl: string, templateDatabase: string, redisUrl: string, runId: string, stop: () => Promise<void> }>}
 *   databaseUrl: an admin connection (database `postgres`) that may CREATE DATABASE.
 */
export async function startTestServices({ log = silent, migrationsDir } = {}) {
  // Prefixes the clones of this run, so that teardown on a shared server drops only ours.
  const runId = randomBytes(4).toString('hex');
  const migrations = loadMigrations(); // compiling it overlaps with the servers' start
  migrations.catch(() => undefined); // awaited below, unless a server failed first
  const [postgres, redis] = await Promise.allSettled([
    startPostgres((msg) => log(`postgres: ${msg}`)),
    startRedis((msg) => log(`redis: ${msg}`)),
  ]);
  const stops = [postgres, redis].filter((r) => r.status === 'fulfilled').map((r) => r.value.stop);
  const stopAll = async () => {
    const results = await Promise.allSettled(stops.map((stop) => stop()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    if (postgres.status === 'rejected') throw postgres.reason;
    if (redis.status === 'rejected') throw redis.reason;
    await createTemplate(postgres.value.url, { log, migrationsDir, applyMigrations: (await migrations).applyMigrations });
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  const databaseUrl = postgres.value.url;
  return {
    databaseUrl,
    templateDatabase: TEMPLATE_DATABASE,
    redisUrl: redis.value.url,
    runId,
    async stop() {
      if (postgres.value.external) await dropRunDatabases(databaseUrl, runId);
      await stopAll();
    },
  };
}

/**
 * Creates `name` as a copy of the migrated template; returns its URL.
 * (test/setup/test-database.ts does the same from inside test files, where jest
 * cannot load this ES module.)
 * @param {string} adminUrl
 * @param {string} name
 * @returns {Promise<string>}
 */
export async function createDatabaseFromTemplate(adminUrl, name) {
  await withClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(TEMPLATE_DATABASE)}`),
  );
  return databaseUrl(adminUrl, name);
}

async function startPostgres(log) {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, external: true, stop: async () => {} };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'restream-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, log, ephemeral: true }).catch(async (err) => {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  return { url: server.adminUrl, external: false, stop: server.stop };
}

async function startRedis(log) {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, stop: async () => {} };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'restream-test-redis-'));
  return startRedisServer({ dataDir, log, removeDataDir: true });
}

async function createTemplate(adminUrl, { log, migrationsDir, applyMigrations }) {
  await withClient(adminUrl, async (client) => {
    // WITH (FORCE): a run killed mid-way on a shared server may have left sessions open.
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const templateUrl = databaseUrl(adminUrl, TEMPLATE_DATABASE);
  const { applied } = await applyMigrations(templateUrl, { migrationsDir, logger: log });
  log(`template ${TEMPLATE_DATABASE}: applied ${applied.length} migration(s)`);
  // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template.
  await withClient(adminUrl, (client) =>
    client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      TEMPLATE_DATABASE,
    ]),
  );
}

async function loadMigrations() {
  const mod = await tsImport(MIGRATIONS_MODULE.href, import.meta.url);
  // A CommonJS TypeScript module may surface its exports as named ones or under `default`.
  const applyMigrations = mod.applyMigrations ?? mod.default?.applyMigrations;
  if (typeof applyMigrations !== 'function') throw new Error(`${MIGRATIONS_MODULE.pathname} does not export applyMigrations`);
  return { applyMigrations };
}

/** Drops the template and this run's clones: only needed on a server that outlives the run. */
async function dropRunDatabases(adminUrl, runId) {
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
      TEMPLATE_DATABASE,
      `${CLONE_PREFIX}${runId}_`.replaceAll('_', '\\_') + '%',
    ]);
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  });
}

function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
