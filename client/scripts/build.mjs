#!/usr/bin/env node
// `npm run build` (and `npm pack`) in client/: the package's ES module and CommonJS builds, each
// with its declarations, in dist/esm and dist/cjs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(CLIENT_DIR, 'dist');
const BUILDS = [
  { tsconfig: 'tsconfig.esm.json', dir: 'esm', type: 'module' },
  { tsconfig: 'tsconfig.cjs.json', dir: 'cjs', type: 'commonjs' },
];

/** Relative specifiers without an extension, which Node's ESM resolver refuses (`./errors` for `./errors.js`). */
export function extensionlessImports(code) {
  const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)].map((match) => match[1]);
  return specifiers.filter((specifier) => !/\.(m|c)?js$/.test(specifier));
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

export function buildClientPackage() {
  // In the repository this is the root's TypeScript; in a lone checkout of client/, its devDependency.
  const tsc = createRequire(path.join(CLIENT_DIR, 'package.json')).resolve('typescript/bin/tsc');
  rmSync(DIST, { recursive: true, force: true });
  for (const build of BUILDS) {
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(CLIENT_DIR, build.tsconfig)], {
      cwd: CLIENT_DIR,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`building the client (${build.tsconfig}) failed: tsc exited with ${result.status}`);
    // Node and TypeScript take a file's format from the nearest package.json: ESM here, CommonJS there.
    writeFileSync(path.join(DIST, build.dir, 'package.json'), `${JSON.stringify({ type: build.type })}\n`);
  }
  const broken = filesUnder(path.join(DIST, 'esm'))
    .filter((file) => /\.(js|d\.ts)$/.test(file))
    .flatMap((file) => extensionlessImports(readFileSync(file, 'utf8')).map((spec) => `${path.relative(DIST, file)}: '${spec}'`));
  if (broken.length > 0) {
    throw new Error(`client/src: relative imports need their .js extension for the ES module build:\n  ${broken.join('\n  ')}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildClientPackage();
