// Applies prisma/migrations without the Prisma CLI (whose schema engine cannot be
// downloaded here), keeping the bookkeeping `prisma migrate deploy` uses: the same
// `_prisma_migrations` table and the same advisory lock, so either tool can take over.
//
// Deliberate differences from `prisma migrate deploy`:
// - each migration runs in one transaction, so a failure leaves nothing half-applied;
//   the failed attempt is kept as a rolled-back row (what `prisma migrate resolve
//   --rolled-back` writes), which both tools ignore and retry; hence scripts must not
//   contain their own BEGIN/COMMIT;
// - an applied migration whose file has changed is refused, not silently skipped.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  logger?: (msg: string) => void;
}

interface Migration {
  name: string;
  sql: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

// The key Prisma's schema engine locks on Postgres: we exclude `prisma migrate` too.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Same DDL as Prisma's schema engine.
const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
  )`;

// A script that commits on its own would end our transaction half-way through.
// (plpgsql bodies use `BEGIN` without a semicolon and `END;`, which stay allowed.)
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*;/im;

export async function applyMigrations(databaseUrl: string, opts: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.logger ?? (() => undefined);
  const migrations = readMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await lock(client, log);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations',
    );
    const pending = selectPending(migrations, rows, log);
    for (const { name, sql } of pending) {
      if (TRANSACTION_CONTROL.test(sql)) {
        throw new Error(`Migration ${name} contains BEGIN/COMMIT: remove them, each migration runs in a transaction`);
      }
    }
    for (const migration of pending) {
      log(`applying migration ${migration.name}`);
      await applyOne(client, migration);
    }
    log(pending.length === 0 ? 'database schema is up to date' : `applied ${pending.length} migration(s)`);
    return { applied: pending.map((m) => m.name) };
  } finally {
    // Ending the session releases the advisory lock as well.
    await client.end();
  }
}

/** sha256 hex of the script, as Prisma stores it. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

// Prisma accepts a file whose line endings git converted (LF <-> CRLF).
function checksumMatches(sql: string, checksum: string): boolean {
  return [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')].some((s) => migrationChecksum(s) === checksum);
}

function selectPending(migrations: Migration[], rows: MigrationRow[], log: (msg: string) => void): Migration[] {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name).join(', ');
    throw new Error(
      `Migration(s) ${names} failed earlier and left the database in an unknown state. ` +
        'Repair the database by hand, then mark them rolled back ' +
        `(UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '...') to retry.`,
    );
  }
  const applied = new Map(live.map((r) => [r.migration_name, r.checksum]));
  const edited = migrations.filter((m) => applied.has(m.name) && !checksumMatches(m.sql, applied.get(m.name) ?? ''));
  if (edited.length > 0) {
    const names = edited.map((m) => m.name).join(', ');
    throw new Error(
      `Migration(s) ${names} changed after being applied (checksum differs from _prisma_migrations). ` +
        'Restore the applied migration.sql and put the change in a new migration.',
    );
  }
  const known = new Set(migrations.map((m) => m.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) log(`warning: migration ${name} is applied but missing from the migrations directory`);
  }
  return migrations.filter((m) => !applied.has(m.name));
}

async function applyOne(client: Client, { name, sql }: Migration): Promise<void> {
  const id = randomUUID();
  const checksum = migrationChecksum(sql);
  try {
    await client.query('BEGIN');
    await client.query(sql);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [id, checksum, name],
    );
    await client.query('COMMIT');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Best effort: if the connection died, the original error is the one to report.
    await recordRolledBack(client, { id, checksum, name, message }).catch(() => undefined);
    throw new Error(`Migration ${name} failed and was rolled back: ${message}`, { cause: error });
  }
}

async function recordRolledBack(
  client: Client,
  attempt: { id: string; checksum: string; name: string; message: string },
): Promise<void> {
  await client.query('ROLLBACK');
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, rolled_back_at, applied_steps_count)
     VALUES ($1, $2, $3, $4, now(), 0)`,
    [attempt.id, attempt.checksum, attempt.name, attempt.message],
  );
}

async function lock(client: Client, log: (msg: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    PRISMA_MIGRATE_LOCK_KEY,
  ]);
  if (rows[0]?.locked) return;
  log('another process is migrating this database; waiting for it to finish');
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
}

function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`Migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      return { name, sql: readFileSync(file, 'utf8') };
    });
}

// The nearest ancestor holding prisma/migrations: the project root, both from
// src/database (jest, tsx) and from dist/src/database (compiled).
function defaultMigrationsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`No prisma/migrations directory above ${__dirname}`);
  }
}
