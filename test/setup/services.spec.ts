// Proves the test services from global-setup.ts: a cloned, migrated database and a live Redis.
import Redis from 'ioredis';
import { Client } from 'pg';
import { freshDatabaseUrl, testRedisUrl } from './test-database';

describe('test services', () => {
  describe('database cloned from the template', () => {
    let client: Client;

    beforeAll(async () => {
      client = new Client({ connectionString: await freshDatabaseUrl() });
      await client.connect();
    });
    afterAll(() => client.end());

    it('is a database of its own, not the template', async () => {
      const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
      expect(rows[0].name).toMatch(/^restream_test_/);
      expect(rows[0].name).not.toBe(process.env.TEST_TEMPLATE_DATABASE);
    });

    it('has the migrations applied', async () => {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      const tables = rows.map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(['_prisma_migrations', 'App']));
      const applied = await client.query('SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL');
      expect(applied.rowCount).toBeGreaterThan(0);
    });

    it('gives every call a new database', async () => {
      const [a, b] = await Promise.all([freshDatabaseUrl(), freshDatabaseUrl()]);
      expect(a).not.toBe(b);
    });
  });

  describe('redis', () => {
    let redis: Redis;

    beforeAll(() => {
      redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      await redis.quit();
    });

    it('answers PING', async () => {
      await expect(redis.ping()).resolves.toBe('PONG');
    });

    it('stores and returns a value', async () => {
      const key = `services-spec:${process.pid}`;
      await redis.set(key, 'hello', 'EX', 60);
      await expect(redis.get(key)).resolves.toBe('hello');
    });
  });
});
