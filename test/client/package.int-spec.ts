import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.slice(-3000) };
}

describe("the package's glasses-restream/client export (npm run build:client)", () => {
  beforeAll(() => {
    expect(run(['scripts/build-client.mjs'])).toEqual({ status: 0, output: '' });
  }, 120_000);

  it('resolves from CommonJS and ESM by the package name', () => {
    const probe = `const c = require('glasses-restream/client');
      const client = new c.RestreamClient({ baseUrl: 'http://x', apiKey: 'k' });
      console.log(typeof client.onStreamStatus, new c.RateLimitedError({ status: 429, code: 'rate_limited', message: 'm' }) instanceof c.RestreamError);`;
    expect(run(['-e', probe])).toEqual({ status: 0, output: 'function true\n' });
    const esm =
      "import { RestreamClient, InvalidUrlError } from 'glasses-restream/client'; console.log(typeof RestreamClient, typeof InvalidUrlError);";
    expect(run(['--input-type=module', '-e', esm])).toEqual({ status: 0, output: 'function function\n' });
  });

  it('ships types: the example app type-checks against the built package, without path mappings', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'client-types-'));
    try {
      const tsconfig = path.join(dir, 'tsconfig.json');
      writeFileSync(
        tsconfig,
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            module: 'node16',
            moduleResolution: 'node16',
            lib: ['ES2022'],
            types: ['node'],
            typeRoots: [path.join(ROOT, 'node_modules/@types')],
          },
          files: [path.join(ROOT, 'examples/glasses-app/main.ts')],
        }),
      );
      expect(run([path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig])).toEqual({ status: 0, output: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
