import { defineConfig } from 'prisma/config';

// Only the CLI reads this file (generate, validate, format). The running service
// gets its connection string from the typed config in src/config.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/postgres' },
});
