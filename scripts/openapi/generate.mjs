#!/usr/bin/env node
// `npm run openapi:generate`: writes openapi.json and the SDK client's types from the real app's
// document, built from the module graph without Postgres, Redis or a socket (see src/openapi/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDependencies, ensurePrismaClient, ROOT } from '../prepare.mjs';

// A fresh clone has no node_modules yet: install before the loader hook needs @swc/core.
ensureDependencies();
ensurePrismaClient();
await import('./swc-register.mjs');
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { openApiArtefacts } = require('../../src/openapi/openapi-artefacts.ts');

for (const { file, content } of await openApiArtefacts()) {
  mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
  writeFileSync(path.join(ROOT, file), content);
  process.stderr.write(`[openapi] wrote ${file}\n`);
}
// Nest's preview application may leave timers behind; the files are written.
process.exit(0);
