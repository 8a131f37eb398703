#!/usr/bin/env node
// `npm run build:client`: builds the SDK client package (client/, `@glasses-restream/client`) into
// client/dist, which this package also exports as `glasses-restream/client`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientPackage } from '../client/scripts/build.mjs';
import { ensureDependencies } from './prepare.mjs';

export function buildClient() {
  buildClientPackage();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureDependencies(); // `npm run build:client` on a fresh clone: tsc comes from node_modules
  buildClient();
}
