// Types for test-env.mjs, so the TypeScript jest setup can import it.
export declare const TEMPLATE_DATABASE: string;
export declare const CLONE_PREFIX: string;

export interface TestServices {
  /** Admin connection (database `postgres`) allowed to CREATE DATABASE. */
  databaseUrl: string;
  templateDatabase: string;
  redisUrl: string;
  /** Prefixes this run's cloned databases. */
  runId: string;
  stop(): Promise<void>;
}

export declare function startTestServices(opts?: { log?: (msg: string) => void; migrationsDir?: string }): Promise<TestServices>;

export declare function createDatabaseFromTemplate(adminUrl: string, name: string): Promise<string>;
