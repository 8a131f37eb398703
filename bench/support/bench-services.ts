// Postgres and Redis for a benchmark run, started the way the tests start them.
//
// Default: a throwaway embedded Postgres and redis-server from scripts/services/test-env.mjs
// (never the machine's own servers), migrated once into a template database that the
// scratch database is cloned from. When DATABASE_URL and REDIS_URL are both set, those
// servers are used instead: a template is migrated there and cloned the same way, and both
// databases are dropped at the end.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import type * as TestEnv from '../../scripts/services/test-env.mjs' with { 'resolution-mode': 'import' };
import { applyMigrations } from '../../src/database/migrations';
import { PROJECT_ROOT } from './compile-app';

export interface BenchServices {
  /** A migrated database of this run's own. */
  databaseUrl: string;
  redisUrl: string;
  /** Where the services come from, for the report. */
  origin: string;
  /** Drops the scratch databases, then stops what was started. */
  stop(): Promise<void>;
}

type TestEnvModule = typeof TestEnv;

// tsx runs this file as CommonJS and would turn `import()` into `require()`; the ES module
// needs a real dynamic import (the same trick as test/setup/global-setup.ts).
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant string, not user input
const importEsm = new Function('url', 'return import(url)') as <T>(url: string) => Promise<T>;
const TEST_ENV_MODULE = pathToFileURL(path.join(PROJECT_ROOT, 'scripts/services/test-env.mjs')).href;

export async function startBenchServices(log: (msg: string) => void): Promise<BenchServices> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (DATABASE_URL && REDIS_URL) return useExternalServices(DATABASE_URL, REDIS_URL, log);

  const { startTestServices, createDatabaseFromTemplate, CLONE_PREFIX } = await importEsm<TestEnvModule>(TEST_ENV_MODULE);
  const services = await startTestServices({ log });
  try {
    // CLONE_PREFIX + runId: if this process dies, the services' own stop() still finds it on a shared server.
    const name = `${CLONE_PREFIX}${services.runId}_bench`;
    const databaseUrl = await createDatabaseFromTemplate(services.databaseUrl, name);
    return {
      databaseUrl,
      redisUrl: services.redisUrl,
      origin: 'throwaway embedded Postgres + redis-server (scripts/services/test-env.mjs)',
      async stop() {
        try {
          await dropDatabases(services.databaseUrl, [name]);
        } finally {
          await services.stop();
        }
      },
    };
  } catch (error) {
    await services.stop().catch(() => undefined);
    throw error;
  }
}

async function useExternalServices(adminUrl: string, redisUrl: string, log: (msg: string) => void): Promise<BenchServices> {
  const runId = randomBytes(4).toString('hex');
  const template = `restream_bench_${runId}_template`;
  const scratch = `restream_bench_${runId}`;
  try {
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${template}`));
    await applyMigrations(databaseUrl(adminUrl, template), { logger: log });
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${scratch} TEMPLATE ${template}`));
  } catch (error) {
    await dropDatabases(adminUrl, [scratch, template]).catch(() => undefined);
    throw error;
  }
  return {
    databaseUrl: databaseUrl(adminUrl, scratch),
    // Redis is shared as it is: the server runs the api role only (no queue worker), and
    // creating or reading streams writes no Redis keys (events go out on pub/sub).
    redisUrl,
    origin: 'DATABASE_URL / REDIS_URL (scratch database cloned from a migrated template)',
    stop: () => dropDatabases(adminUrl, [scratch, template]),
  };
}

async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  await withClient(adminUrl, async (client) => {
    // FORCE: a server that was killed may have left sessions open.
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
