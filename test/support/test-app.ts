import type { NestExpressApplication } from '@nestjs/platform-express';
import IORedis from 'ioredis';
import { createApp, CreateAppOptions } from '../../src/app.factory';
import { AppsService } from '../../src/apps/apps.service';
import type { AppConfig } from '../../src/config/config.schema';
import { freshDatabaseUrl, testRedisUrl } from '../setup/test-database';
import { testConfig } from './test-config';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** A base URL for clients that need a real socket (SSE, benchmarks). */
  baseUrl: string;
  createTenant(name?: string): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

let redisDb = 1;

/**
 * The real application on a fresh database (cloned from the migrated template) and the run's
 * Redis, under its own key prefix database so test files do not see each other's queues.
 */
export async function startTestApp(overrides: Record<string, string> = {}, options: CreateAppOptions = {}): Promise<TestApp> {
  const databaseUrl = await freshDatabaseUrl();
  const redisUrl = new URL(testRedisUrl());
  // Redis has 16 databases; each test file takes one (jest workers run files one at a time each).
  redisUrl.pathname = `/${(Number(process.env.JEST_WORKER_ID ?? '1') * 3 + redisDb++) % 16}`;
  const flush = new IORedis(redisUrl.toString());
  await flush.flushdb();
  await flush.quit();
  const config = testConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl.toString(), ...overrides });
  const app = await createApp(config, options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  let tenants = 0;
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async createTenant(name = `App ${++tenants}`) {
      const created = await app
        .get(AppsService)
        .create({ name, packageName: `com.example.${name.toLowerCase().replace(/\W+/g, '')}${tenants}` });
      return { id: created.app.id, apiKey: created.apiKey };
    },
    close: () => app.close(),
  };
}
