// Offline stand-in for `prisma migrate diff --from-schema A --to-schema B --script`.
//
// The Prisma CLI needs a native schema-engine binary from Prisma's CDN, which this
// machine cannot reach. The same engine is published on npm as WebAssembly
// (@prisma/schema-engine-wasm), so we load it ourselves, the way @prisma/internals'
// WasmSchemaEngineLoader does. The package is internal to Prisma: pin its version.
import { readFileSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget } from '@prisma/schema-engine-wasm/schema_engine_bg' with { 'resolution-mode': 'import' };
import { Pool } from 'pg';

// typescript-eslint cannot resolve types behind an import attribute; tsc checks these lines.
/* eslint-disable @typescript-eslint/no-unsafe-assignment */
type WasmRuntime = typeof import('@prisma/schema-engine-wasm/schema_engine_bg', {
  with: { 'resolution-mode': 'import' },
});
/* eslint-enable @typescript-eslint/no-unsafe-assignment */

// The WebAssembly global, typed: @types/node 20 leaves it to TypeScript's DOM lib.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let runtime: Promise<WasmRuntime> | undefined;

// wasm-bindgen keeps one module-wide instance: instantiate it once per process.
function loadRuntime(): Promise<WasmRuntime> {
  runtime ??= (async () => {
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const instance = new Instance(new Module(readFileSync(wasmPath)), { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return runtime;
}

function schemaTarget(schema: string | null): DiffTarget {
  return schema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] };
}

/**
 * SQL that turns a database shaped by `from` (null: an empty database) into one shaped by `to`.
 * Returns '' when there is nothing to change.
 *
 * Both sides are schema files, never live databases (diffing a live database hit a
 * Prisma bug on this setup). The engine still opens `databaseUrl` once, to read the
 * server version; it changes nothing there.
 */
export async function diffSchemas(databaseUrl: string, from: string | null, to: string): Promise<string> {
  const { SchemaEngine } = await loadRuntime();
  // Our own pool, so we can close it: the engine does not, and an idle pool keeps node alive.
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  try {
    const engine = await SchemaEngine.new({ datamodels: undefined }, () => undefined, adapter);
    try {
      const { stdout } = await engine.diff({
        from: schemaTarget(from),
        to: schemaTarget(to),
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      return isEmptyMigration(stdout ?? '') ? '' : (stdout ?? '');
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

// The engine renders "no change" as a script made only of comments.
function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

export function engineVersion(): Promise<string> {
  return loadRuntime().then((glue) => glue.version());
}
