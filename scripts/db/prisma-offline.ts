// Runs the Prisma CLI without its schema-engine download, which this network blocks:
//
//   npx tsx scripts/db/prisma-offline.ts generate|validate|format [args]
//
// Before every command the CLI fetches a native schema-engine binary unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file. generate, validate and format
// never run that engine, so any file will do: we use the node binary, which exists on
// every platform. (migrate/db commands do run it: use scripts/db/* for those.)
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
const cli = require.resolve('prisma/build/index.js');
const { status, error } = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
if (error) throw error;
process.exitCode = status ?? 1;
