// Fails when prisma/migrations does not produce prisma/schema.prisma.
//
//   DATABASE_URL=postgresql://... npm run db:check
//
// Builds two scratch databases on the DATABASE_URL server: one from the SQL the
// schema engine generates for the whole schema (empty -> schema.prisma), one by
// applying every migration. Then compares what pg_catalog says about both. (Prisma's
// own check, `migrate diff --from-migrations`, needs a shadow-database diff, which
// hit a Prisma bug here; comparing two real databases needs no diffing at all.)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../../src/database/migrations';
import { createScratchDatabase, type ScratchDatabase } from '../../src/database/scratch-database';
import { diffSchemas } from './schema-engine';

const ROOT = path.resolve(__dirname, '..', '..');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const USER_TABLES = `${USER_SCHEMAS} AND c.relname <> '_prisma_migrations'`;

// One line per object, so two databases compare as two sets of lines.
const DESCRIBE = [
  `SELECT format('schema %I', n.nspname) FROM pg_namespace n WHERE ${USER_SCHEMAS}`,
  `SELECT format('extension %I', extname) FROM pg_extension`,
  `SELECT format('relation %I.%I kind=%s', n.nspname, c.relname, c.relkind)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_TABLES} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  `SELECT format('column %I.%I.%I %s%s%s%s%s', n.nspname, c.relname, a.attname,
                 format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                 COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''),
                 CASE WHEN a.attidentity <> '' THEN ' IDENTITY ' || a.attidentity::text ELSE '' END,
                 CASE WHEN a.attgenerated <> '' THEN ' GENERATED' ELSE '' END)
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE ${USER_TABLES} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped`,
  `SELECT format('constraint %I.%I.%I %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid))
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_TABLES}`,
  `SELECT format('index %s', pg_get_indexdef(i.indexrelid))
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_TABLES}`,
  // Labels sorted: Prisma appends new enum values (ADD VALUE) whatever their place in
  // schema.prisma, and does not count the order as a difference either.
  `SELECT format('enum %I.%I (%s)', n.nspname, t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumlabel))
     FROM pg_type t
     JOIN pg_enum e ON e.enumtypid = t.oid
     JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE ${USER_SCHEMAS}
    GROUP BY n.nspname, t.typname`,
];

async function describeDatabase(url: string): Promise<Set<string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const lines = new Set<string>();
    for (const query of DESCRIBE) {
      const { rows } = await client.query<string[]>({ text: query, rowMode: 'array' });
      for (const [line] of rows) lines.add(line);
    }
    return lines;
  } finally {
    await client.end();
  }
}

async function runScript(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function missingFrom(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((line) => !b.has(line)).sort();
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required (a server where scratch databases can be created).');
  if (!existsSync(MIGRATIONS_DIR)) throw new Error(`No ${MIGRATIONS_DIR}: create the first migration.`);

  const schemaSql = await diffSchemas(databaseUrl, null, readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8'));
  const scratch: ScratchDatabase[] = [];
  try {
    const fromSchema = await createScratchDatabase(databaseUrl, 'drift_schema');
    scratch.push(fromSchema);
    const fromMigrations = await createScratchDatabase(databaseUrl, 'drift_migrations');
    scratch.push(fromMigrations);

    await runScript(fromSchema.url, schemaSql);
    const { applied } = await applyMigrations(fromMigrations.url, { migrationsDir: MIGRATIONS_DIR });

    const expected = await describeDatabase(fromSchema.url);
    const actual = await describeDatabase(fromMigrations.url);
    const missing = missingFrom(expected, actual);
    const extra = missingFrom(actual, expected);
    if (missing.length === 0 && extra.length === 0) {
      console.log(`OK: the ${applied.length} migration(s) produce prisma/schema.prisma.`);
      return;
    }
    console.error('Drift: prisma/migrations does not produce prisma/schema.prisma.');
    for (const line of missing) console.error(`  + ${line}    (in schema.prisma, missing from migrations)`);
    for (const line of extra) console.error(`  - ${line}    (from migrations, not in schema.prisma)`);
    console.error('Create a migration for the change: npm run db:migration:create -- <name>');
    process.exitCode = 1;
  } finally {
    for (const db of scratch) await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
