// jest globalSetup: one throwaway Postgres (with the migrated template database)
// and one Redis for the whole run, in jest's main process. Test files reach them
// through process.env, which the workers inherit; test-database.ts clones the template.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestServices } from '../../scripts/services/test-env.mjs' with { 'resolution-mode': 'import' };

export const SERVICES_KEY = '__restreamTestServices';
const EXPORTED_ENV = ['TEST_ADMIN_DATABASE_URL', 'TEST_TEMPLATE_DATABASE', 'TEST_REDIS_URL', 'TEST_RUN_ID'] as const;

export interface GlobalServicesState {
  services: TestServices;
  /** Values to restore at teardown: in watch mode the next run must not mistake ours for TEST_REDIS_URL given by the user. */
  previousEnv: Record<string, string | undefined>;
}

// swc compiles `import()` to `require()`, and require() of an ES module needs Node >= 20.19;
// a real dynamic import, hidden from the compiler, works on every Node 20.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant string, not user input
const importEsm = new Function('url', 'return import(url)') as <T>(url: string) => Promise<T>;
const TEST_ENV_MODULE = pathToFileURL(path.join(__dirname, '../../scripts/services/test-env.mjs')).href;

export default async function globalSetup(): Promise<void> {
  const { startTestServices } =
    await importEsm<typeof import('../../scripts/services/test-env.mjs', { with: { 'resolution-mode': 'import' } })>(
      TEST_ENV_MODULE,
    );
  const verbose = process.env.TEST_SERVICES_VERBOSE === '1';
  const services = await startTestServices({
    log: verbose ? (msg) => process.stderr.write(`[test-services] ${msg}\n`) : undefined,
  });
  const previousEnv = Object.fromEntries(EXPORTED_ENV.map((key) => [key, process.env[key]]));
  process.env.TEST_ADMIN_DATABASE_URL = services.databaseUrl;
  process.env.TEST_TEMPLATE_DATABASE = services.templateDatabase;
  process.env.TEST_REDIS_URL = services.redisUrl;
  process.env.TEST_RUN_ID = services.runId;
  // jest: globals set in globalSetup are visible to globalTeardown only.
  (globalThis as Record<string, unknown>)[SERVICES_KEY] = { services, previousEnv } satisfies GlobalServicesState;
}
