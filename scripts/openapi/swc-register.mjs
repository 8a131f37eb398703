// Runs the service's TypeScript in plain Node with decorator metadata (which tsx and esbuild do not
// emit and Nest's Swagger scanner needs): @swc/core with the repository's .swcrc, like @swc/jest.
// Hooks Node's CommonJS loader: load the TypeScript with the `require` from createRequire.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');

const swcrc = JSON.parse(readFileSync(fileURLToPath(new URL('../../.swcrc', import.meta.url)), 'utf8'));
delete swcrc.$schema;

addHook((code, filename) => transformSync(code, { ...swcrc, filename, swcrc: false }).code, { exts: ['.ts'] });

// Our sources import siblings as `./x.js` (Prisma's generated client does too): try `./x.ts`.
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    if (!/^\.{1,2}\/.*\.js$/.test(request)) throw error;
    return resolve.call(this, request.replace(/\.js$/, '.ts'), parent, ...rest);
  }
};
