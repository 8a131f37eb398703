// A fresh database per test file, cloned from the template that global-setup.ts
// migrated. Cloning takes milliseconds, so a test file never sees another's rows.
//
// The clone is done here with `pg` rather than by importing createDatabaseFromTemplate
// from scripts/services/test-env.mjs: test files run in jest's module sandbox, which
// cannot load ES modules without --experimental-vm-modules.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const CLONE_PREFIX = 'restream_test_'; // = CLONE_PREFIX in test-env.mjs (teardown drops by it)

/** Creates a database copied from the migrated template and returns its URL. Call it in beforeAll. */
export async function freshDatabaseUrl(): Promise<string> {
  const adminUrl = requireEnv('TEST_ADMIN_DATABASE_URL');
  const template = requireEnv('TEST_TEMPLATE_DATABASE');
  const name = `${CLONE_PREFIX}${requireEnv('TEST_RUN_ID')}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The run's Redis (a throwaway redis-server unless TEST_REDIS_URL was given). */
export function testRedisUrl(): string {
  return requireEnv('TEST_REDIS_URL');
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run this test through jest, whose globalSetup (test/setup/global-setup.ts) starts the test services`,
    );
  }
  return value;
}
