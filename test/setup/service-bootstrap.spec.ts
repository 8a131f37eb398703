// scripts/services/*.mjs seen from outside: they are ES modules, which jest's module
// sandbox cannot load, so each case runs a small script in a child `node`.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const servicesDir = path.resolve(__dirname, '../../scripts/services');
const moduleUrl = (file: string) => pathToFileURL(path.join(servicesDir, file)).href;

/** Runs an ES module snippet; resolves with its stdout once it prints `lines` lines (or exits). */
function runModule(code: string, lines = Infinity) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const got = stdout.split('\n').filter(Boolean);
      if (got.length >= lines) resolve(got);
    });
    child.once('exit', (code) =>
      code === 0 || lines !== Infinity
        ? resolve(stdout.split('\n').filter(Boolean))
        : reject(new Error(`child exited with ${code}: ${stderr}`)),
    );
  });
  return { child, output };
}

/** True while pid is a live (non-zombie) process. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('redis-server lookup and install', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'redis-lookup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing when neither PATH nor the extra dirs hold it', async () => {
    const { output } = runModule(`
      import { findRedisServer } from '${moduleUrl('redis.mjs')}';
      console.log(String(await findRedisServer(${JSON.stringify(dir)}, [])));`);
    await expect(output).resolves.toEqual(['undefined']);
  });

  it('takes the first executable redis-server on PATH, skipping non-executable files', async () => {
    const skipped = path.join(dir, 'a');
    const found = path.join(dir, 'b');
    for (const [d, mode] of [
      [skipped, 0o644],
      [found, 0o755],
    ] as const) {
      mkdirSync(d);
      writeFileSync(path.join(d, 'redis-server'), '#!/bin/sh\n');
      chmodSync(path.join(d, 'redis-server'), mode);
    }
    const { output } = runModule(`
      import { findRedisServer } from '${moduleUrl('redis.mjs')}';
      console.log(await findRedisServer(${JSON.stringify(`${skipped}:${found}`)}, []));`);
    await expect(output).resolves.toEqual([path.join(found, 'redis-server')]);
  });

  it('tells a non-root user which Debian package to install, and how', async () => {
    const { output } = runModule(`
      import { installRedisServer } from '${moduleUrl('redis.mjs')}';
      await installRedisServer(() => {}, { isRoot: false }).catch((err) => console.log(err.message));`);
    const [message] = await output;
    expect(message).toContain('"redis-server"');
    expect(message).toContain('apt-get update && sudo apt-get install -y --no-install-recommends redis-server');
  });

  it('as root, runs apt-get update then installs redis-server without recommends', async () => {
    const { output } = runModule(`
      import { installRedisServer } from '${moduleUrl('redis.mjs')}';
      const binary = await installRedisServer(() => {}, {
        isRoot: true,
        run: async (command, args) => console.log([command, ...args].join(' ')),
        find: async () => '/usr/bin/redis-server',
      });
      console.log(binary);`);
    await expect(output).resolves.toEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends redis-server',
      '/usr/bin/redis-server',
    ]);
  });
});

describe('children of a SIGKILLed owner', () => {
  // Nothing runs in a SIGKILLed process: the watchdog from process-guard.mjs must do the cleanup.
  it.each([
    ['redis-server', `import { startRedisServer as start } from '${moduleUrl('redis.mjs')}';`, 'dataDir, removeDataDir: true'],
    ['postgres', `import { startEmbeddedPostgres as start } from '${moduleUrl('postgres.mjs')}';`, 'dataDir, ephemeral: true'],
  ])('%s stops and its data dir is removed', async (_name, importLine, options) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owner-killed-'));
    const { child, output } = runModule(
      `${importLine}
      const dataDir = ${JSON.stringify(dataDir)};
      const { pid } = await start({ ${options}, log: () => {} });
      console.log(pid);
      setInterval(() => {}, 1000);`,
      1,
    );
    const serverPid = Number((await output)[0]);
    expect(isRunning(serverPid)).toBe(true);

    child.kill('SIGKILL');

    await expect(waitUntil(() => !isRunning(serverPid), 10_000)).resolves.toBe(true);
    await expect(waitUntil(() => !existsSync(dataDir), 5_000)).resolves.toBe(true);
  });
});
