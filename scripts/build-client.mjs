#!/usr/bin/env node
// `npm run build:client`: compiles the SDK client (client/) to dist/client, what the package
// exports as `glasses-restream/client`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, ROOT } from './prepare.mjs';

export function buildClient() {
  rmSync(path.join(ROOT, 'dist', 'client'), { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'client/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the client failed (tsc exited with ${result.status})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureDependencies(); // `npm run build:client` on a fresh clone: tsc comes from node_modules
  buildClient();
}
