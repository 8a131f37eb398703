// Runs against a real Postgres: DATABASE_URL names a server where scratch databases
// can be created (each test makes its own and drops it at the end).
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx jest src/database
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, migrationChecksum } from './migrations';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';

const serverUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');
const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

(serverUrl ? describe : describe.skip)('applyMigrations (real Postgres)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup(); // last in, first out
  });

  async function scratchDatabase(): Promise<string> {
    const db: ScratchDatabase = await createScratchDatabase(serverUrl ?? '', 'migrations_spec');
    cleanups.push(() => db.drop());
    return db.url;
  }

  function copyOfMigrations(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-spec-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  }

  function addMigration(dir: string, name: string, sql: string): void {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }

  async function query<T extends object>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  const migrationRows = (url: string) =>
    query<MigrationRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name, started_at');

  it('applies every migration and records it the way prisma migrate deploy does', async () => {
    const url = await scratchDatabase();

    const { applied } = await applyMigrations(url);

    expect(applied).toEqual(MIGRATION_NAMES);
    const rows = await migrationRows(url);
    expect(rows).toHaveLength(MIGRATION_NAMES.length);
    for (const row of rows) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'), 'utf8');
      expect(row).toEqual<MigrationRow>({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        checksum: migrationChecksum(sql),
        migration_name: row.migration_name,
        logs: null,
        started_at: expect.any(Date),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        applied_steps_count: 1,
      });
    }
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['App', 'ManagedStream', 'Relay']));
  });

  it('applies nothing the second time', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);

    await expect(applyMigrations(url)).resolves.toEqual({ applied: [] });
    expect(await migrationRows(url)).toHaveLength(MIGRATION_NAMES.length);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const url = await scratchDatabase();
    const dir = copyOfMigrations();
    await applyMigrations(url, { migrationsDir: dir });
    appendFileSync(path.join(dir, MIGRATION_NAMES[0], 'migration.sql'), '\n-- edited afterwards\n');
    addMigration(dir, '29990101000000_later', 'CREATE TABLE "Later" (id INTEGER);');

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      `Migration(s) ${MIGRATION_NAMES[0]} changed after being applied`,
    );
    expect(await migrationRows(url)).toHaveLength(MIGRATION_NAMES.length); // the later one was not applied
  });

  it('applies each migration once when several processes migrate at the same time', async () => {
    const url = await scratchDatabase();
    // Hold the lock so both runs are certainly waiting on it before either starts.
    const holder = new Client({ connectionString: url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    const waiting: string[] = [];
    const runs = [1, 2].map((n) =>
      applyMigrations(url, { logger: (msg) => msg.includes('waiting') && waiting.push(`run ${n}`) }),
    );
    await until(() => waiting.length === 2);

    await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    const results = await Promise.all(runs);

    expect(results.flatMap((r) => r.applied)).toEqual(MIGRATION_NAMES);
    expect(await migrationRows(url)).toHaveLength(MIGRATION_NAMES.length);
  });

  it('rolls a failing migration back, keeps the attempt as rolled back, and retries it next time', async () => {
    const url = await scratchDatabase();
    const dir = copyOfMigrations();
    addMigration(dir, '29990101000000_broken', 'CREATE TABLE "Broken" (id INTEGER);\nSELECT 1 / 0;');

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      'Migration 29990101000000_broken failed and was rolled back: division by zero',
    );
    const broken = await query<{ count: string }>(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'Broken'");
    expect(broken[0].count).toBe('0');
    const attempt = (await migrationRows(url)).find((r) => r.migration_name === '29990101000000_broken');
    expect(attempt).toMatchObject({ finished_at: null, rolled_back_at: expect.any(Date), logs: 'division by zero' });

    writeFileSync(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Broken" (id INTEGER);');
    await expect(applyMigrations(url, { migrationsDir: dir })).resolves.toEqual({
      applied: ['29990101000000_broken'],
    });
  });

  it('refuses to run over a migration that failed half-way (e.g. under prisma migrate deploy)', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', 'y', '29990101000000_half_done')`,
    );

    await expect(applyMigrations(url)).rejects.toThrow('Migration(s) 29990101000000_half_done failed earlier');
  });

  it('refuses a pending migration that opens or commits its own transaction', async () => {
    const url = await scratchDatabase();
    const dir = copyOfMigrations();
    addMigration(dir, '29990101000000_own_tx', 'BEGIN;\nCREATE TABLE "Own" (id INTEGER);\nCOMMIT;\n');

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      'Migration 29990101000000_own_tx contains BEGIN/COMMIT',
    );
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
