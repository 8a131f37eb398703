// Compiles the service for a benchmark's server process with @swc/core.
//
// Why not tsx: it does not emit decorator metadata, so Nest cannot inject constructor
// dependencies. Why not `nest build`: it type-checks everything (slow on 2 cores, and a type
// error in an unrelated file would stop the benchmark) and wipes dist/. swc with the root
// .swcrc (decorator metadata on) is what jest uses, so the compiled app is the tested one;
// it takes about a second. Output goes under dist/ (git-ignored) so that the compiled files
// still resolve packages from the project's node_modules.
import { transformFile, type Options } from '@swc/core';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/**
 * Compiles every non-test .ts file under `dirs`, plus `files`, to CommonJS under `outDir`,
 * keeping the layout (src/x.ts -> outDir/src/x.js). Returns how many files were compiled.
 * `root`: where `dirs` and `files` are (default the project; e.g. a git worktree of an older
 * commit). `keep`: add to `outDir` instead of emptying it first.
 */
export async function compileForBench(opts: {
  outDir: string;
  dirs: string[];
  files: string[];
  root?: string;
  keep?: boolean;
}): Promise<number> {
  const root = opts.root ?? PROJECT_ROOT;
  const swcrc = JSON.parse(await readFile(path.join(PROJECT_ROOT, '.swcrc'), 'utf8')) as Options & { $schema?: string };
  delete swcrc.$schema;
  const sources = [...opts.files];
  for (const dir of opts.dirs) {
    const entries = await readdir(path.join(root, dir), { recursive: true });
    sources.push(...entries.filter(isCompiledSource).map((entry) => path.join(dir, entry)));
  }
  if (!opts.keep) await rm(opts.outDir, { recursive: true, force: true });
  await Promise.all(
    sources.map(async (relative) => {
      const { code } = await transformFile(path.join(root, relative), {
        ...swcrc,
        swcrc: false,
        sourceMaps: false,
        filename: relative,
      });
      const target = path.join(opts.outDir, relative.replace(/\.ts$/, '.js'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, code);
    }),
  );
  return sources.length;
}

function isCompiledSource(file: string): boolean {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !/\.(spec|int-spec)\.ts$/.test(file);
}
