import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { relay } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const CLIENT_DIR = path.join(ROOT, 'client');
const FIXTURES = path.join(__dirname, 'scratch-app');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

interface Result {
  status: number | null;
  output: string;
}

/**
 * npm as an app developer runs it, in a folder outside the repository: the npm_* variables that
 * npx and npm scripts leave behind would point it back at this package.
 */
function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/^npm_(package_|lifecycle_|config_(local_)?prefix$|config_workspace)/i.test(name),
  );
  return { ...Object.fromEntries(kept), ...extra };
}

/** Asynchronous, so the test service in this process keeps answering meanwhile. */
function exec(command: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<Result & { stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: outsideEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout, output: `${stdout}${stderr}`.slice(-4000) });
    });
  });
}

interface Step {
  step: string;
  [key: string]: unknown;
}

describe('the @glasses-restream/client package, packed and installed into an app outside the repository', () => {
  let scratch: string;
  let packed: string[];
  let t: TestApp;

  beforeAll(async () => {
    scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'glasses-client-app-')));
    expect(path.relative(ROOT, scratch).startsWith('..')).toBe(true);
    // `npm pack` builds first (the package's prepack script: ESM, CommonJS and declarations).
    const pack = await exec('npm', ['pack', '--json', '--pack-destination', scratch], CLIENT_DIR);
    expect({ status: pack.status, output: pack.status === 0 ? '' : pack.output }).toEqual({ status: 0, output: '' });
    const [tarball] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    packed = tarball.files.map((file) => file.path);

    writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch-glasses-app', version: '0.0.0', private: true }),
    );
    for (const file of readdirSync(FIXTURES)) copyFileSync(path.join(FIXTURES, file), path.join(scratch, file));
    copyFileSync(path.join(ROOT, 'examples/glasses-app/main.ts'), path.join(scratch, 'glasses-app.ts'));
    // Its one dependency comes from npm's cache when it is there (the registry otherwise).
    const install = await exec(
      'npm',
      ['install', `./${tarball.filename}`, '--prefer-offline', '--no-audit', '--no-fund'],
      scratch,
    );
    expect({ status: install.status, output: install.status === 0 ? '' : install.output }).toEqual({ status: 0, output: '' });

    t = await startTestApp();
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships ES modules, CommonJS and declarations, and installs with exactly one dependency', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/esm/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/package.json',
      ]),
    );
    expect(packed.filter((file) => /spec\.ts$|tsconfig|scripts\//.test(file))).toEqual([]);
    const installed = readdirSync(path.join(scratch, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed.sort()).toEqual(['@glasses-restream', 'eventsource-parser']);
  });

  /** Runs the scratch app; when it is subscribed, reports the stream live as the relay would. */
  async function driveStream(entry: 'app.mjs' | 'app.cjs', userId: string, streamKey: string) {
    const { apiKey } = await t.createTenant(`Scratch app (${entry})`);
    const child = spawn(process.execPath, [entry], {
      cwd: scratch,
      env: outsideEnv({ BASE_URL: t.baseUrl, API_KEY: apiKey, USER_ID: userId, STREAM_KEY: streamKey }),
    });
    const steps: Step[] = [];
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const relayed: Promise<unknown>[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      const step = JSON.parse(line) as Step;
      steps.push(step);
      if (step.step === 'subscribed') {
        relayed.push(
          relay(t.app)
            .post('/stream-status', {
              userId,
              streamId: step.streamId,
              status: 'active',
              destinations: [{ id: step.destinationId, status: 'broadcasting' }],
            })
            .expect(200)
            .then(),
        );
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    await Promise.all(relayed);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const done = steps.find((step) => step.step === 'done');
    const live = await fetch(`${t.baseUrl}/api/managed-streams?userId=${encodeURIComponent(userId)}&status=live`, {
      headers: { 'x-api-key': apiKey },
    });
    return { done, stdout, live: ((await live.json()) as { streams: unknown[] }).streams };
  }

  function expectDriven(done: Step | undefined, userId: string, resolvedFrom: string) {
    const streamId = (done?.started as { streamId?: string } | undefined)?.streamId;
    expect(done).toEqual({
      step: 'done',
      resolvedFrom: expect.stringContaining(resolvedFrom),
      started: { streamId: expect.stringMatching(/^ms_/), userId, ingestUrl: expect.stringMatching(/^rtmp:\/\//) },
      destinations: [
        { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKeyMasked: expect.stringMatching(/0001$/) },
      ],
      got: streamId,
      listed: [streamId],
      missing: { notFound: true, restreamError: true, status: 404 },
      again: { alreadyStreaming: true, streamId },
      events: expect.arrayContaining(['stream.status connecting', 'stream.status active', 'destination.status broadcasting']),
      lastEventId: expect.any(String),
      stoppedStatus: expect.stringMatching(/^(stopping|stopped)$/),
      state: 'closed',
    });
  }

  it('drives a stream from an ES module app (import): start, get, list, live status, typed errors, stop', async () => {
    const userId = 'esm-wearer@example.com';
    const { done, stdout, live } = await driveStream('app.mjs', userId, 'esm-secret-key-0001');
    expectDriven(done, userId, `${scratch}/node_modules/@glasses-restream/client/dist/esm/index.js`);
    expect(stdout).not.toContain('esm-secret-key-0001');
    expect(live).toEqual([]);
  }, 60_000);

  it('drives a stream from a CommonJS app (require): start, get, list, live status, typed errors, stop', async () => {
    const userId = 'cjs-wearer@example.com';
    const { done, stdout, live } = await driveStream('app.cjs', userId, 'cjs-secret-key-0001');
    expectDriven(done, userId, `${scratch}/node_modules/@glasses-restream/client/dist/cjs/index.js`);
    expect(stdout).not.toContain('cjs-secret-key-0001');
    expect(live).toEqual([]);
  }, 60_000);

  it('types both ways in: TypeScript apps (ESM, CommonJS and the example app) check against the installed package', async () => {
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
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
        files: ['check.mts', 'check.cts', 'glasses-app.ts'],
      }),
    );
    const check = await exec(process.execPath, [TSC, '-p', 'tsconfig.json', '--traceResolution'], scratch);
    const resolved = (from: string) =>
      new RegExp(
        `Resolving module '@glasses-restream/client' from '${scratch}/${from}'[\\s\\S]*?successfully resolved to '([^']+)'`,
      ).exec(check.stdout)?.[1];
    expect({ status: check.status, errors: check.stdout.split('\n').filter((line) => line.includes('error TS')) }).toEqual({
      status: 0,
      errors: [],
    });
    expect(resolved('check.mts')).toBe(`${scratch}/node_modules/@glasses-restream/client/dist/esm/index.d.ts`);
    expect(resolved('check.cts')).toBe(`${scratch}/node_modules/@glasses-restream/client/dist/cjs/index.d.ts`);
  }, 120_000);

  it('still serves existing users as glasses-restream/client (the service package re-exports the build)', async () => {
    const cjs = await exec(
      process.execPath,
      [
        '-e',
        "const c = require('glasses-restream/client'); console.log(require.resolve('glasses-restream/client'), typeof c.RestreamClient);",
      ],
      ROOT,
    );
    expect(cjs).toMatchObject({ status: 0, stdout: `${CLIENT_DIR}/dist/cjs/index.js function\n` });
    const esm = await exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { RestreamClient } from 'glasses-restream/client'; console.log(import.meta.resolve('glasses-restream/client'), typeof RestreamClient);",
      ],
      ROOT,
    );
    expect(esm).toMatchObject({ status: 0, stdout: `file://${CLIENT_DIR}/dist/esm/index.js function\n` });
  });
});
