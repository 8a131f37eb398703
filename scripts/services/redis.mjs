// A Redis for the service when none is configured: Debian's redis-server, run as
// our child (no daemonize), bound to loopback, nothing persisted.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { pickPort } from './free-port.mjs';
import { guardChild } from './process-guard.mjs';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_REDIS_DIR = path.join(REPO_ROOT, '.data', 'redis');
export const REDIS_PACKAGE = 'redis-server'; // the Debian package, and the binary it installs
const EXTRA_DIRS = ['/usr/bin', '/usr/sbin']; // apt's location even when PATH lacks it
const defaultLog = (msg) => console.error(`[redis] ${msg}`);

/**
 * REDIS_URL when set; otherwise a redis-server child on `port` (or a free one if taken).
 * @param {{ dataDir?: string, port?: number, log?: (msg: string) => void }} [opts]
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function ensureRedis({ dataDir = DEFAULT_REDIS_DIR, port = 6379, log = defaultLog } = {}) {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  return startRedisServer({ dataDir, port, log });
}

/**
 * Starts redis-server (installing it with apt when root and missing) and waits for PING.
 * `removeDataDir`: delete dataDir on stop, and after a crash.
 * @param {{ dataDir: string, port?: number, log?: (msg: string) => void, removeDataDir?: boolean }} opts
 * @returns {Promise<{ url: string, port: number, pid: number, stop: () => Promise<void> }>}
 */
export async function startRedisServer({ dataDir, port, log = defaultLog, removeDataDir = false }) {
  const binary = (await findRedisServer()) ?? (await installRedisServer(log));
  dataDir = path.resolve(dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  const started = Date.now();
  let chosenPort = await pickPort(port);
  if (port && chosenPort !== port) log(`port ${port} is taken, using ${chosenPort}`);

  // The free port we picked may be taken before redis binds it: try another.
  let server;
  for (let attempt = 1; ; attempt += 1) {
    server = spawnRedis(binary, chosenPort, dataDir);
    const giveUp = { aborted: false };
    try {
      await Promise.race([waitForPing(chosenPort, server.child.pid, 10_000, giveUp), server.startupFailure]);
      break;
    } catch (err) {
      giveUp.aborted = true; // stops the PING loop, which may be talking to whoever took the port
      await server.kill();
      const output = server.output.join('\n');
      if (attempt >= 3 || !output.includes('Address already in use')) {
        if (removeDataDir) await fs.rm(dataDir, { recursive: true, force: true });
        throw new Error(`${err.message}\n--- redis-server output ---\n${output}`);
      }
      chosenPort = await pickPort();
      log(`port taken meanwhile, retrying on ${chosenPort}`);
    }
  }

  const { child, exited, output } = server;
  let stopped = false;
  const release = guardChild({
    pid: child.pid,
    signal: 'SIGTERM', // redis shuts down cleanly on TERM; with --save "" it writes nothing
    stop: () => stop(),
    removeDir: removeDataDir ? dataDir : undefined,
  });
  async function stop() {
    if (stopped) return;
    stopped = true;
    await server.kill();
    release();
    if (removeDataDir) await fs.rm(dataDir, { recursive: true, force: true });
  }
  void exited.then((how) => {
    if (!stopped) log(`redis-server exited unexpectedly (${how})\n${output.join('\n')}`);
  });
  log(`ready on 127.0.0.1:${chosenPort} in ${Date.now() - started} ms`);
  return { url: `redis://127.0.0.1:${chosenPort}`, port: chosenPort, pid: child.pid, stop };
}

function spawnRedis(binary, port, dataDir) {
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dataDir];
  // Its own process group: a Ctrl-C aimed at ours must not stop Redis before the app that uses it.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = []; // shown only when something fails
  const keep = (chunk) => {
    output.push(...String(chunk).trimEnd().split('\n'));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  const startupFailure = new Promise((_, reject) => {
    child.once('error', reject); // e.g. EACCES
    void exited.then((how) => reject(new Error(`redis-server exited during start-up (${how})`)));
  });
  startupFailure.catch(() => undefined); // it also rejects at a normal stop, long after start-up
  async function kill() {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  return { child, output, exited, startupFailure, kill };
}

/** Absolute path of redis-server, from `searchPath` (PATH format) then /usr/bin, /usr/sbin. */
export async function findRedisServer(searchPath = process.env.PATH ?? '', extraDirs = EXTRA_DIRS) {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, REDIS_PACKAGE);
    const usable = await fs.access(candidate, fsConstants.X_OK).then(
      () => true,
      () => false,
    );
    if (usable) return candidate;
  }
  return undefined;
}

/** Installs Debian's redis-server when we are root; otherwise says how to, and fails. */
export async function installRedisServer(
  log = defaultLog,
  { isRoot = process.getuid?.() === 0, run = runInherited, find = () => findRedisServer() } = {},
) {
  const install = `apt-get install -y --no-install-recommends ${REDIS_PACKAGE}`;
  if (!isRoot) {
    throw new Error(
      `redis-server was not found (looked in PATH, /usr/bin and /usr/sbin). ` +
        `Install the Debian package "${REDIS_PACKAGE}": sudo apt-get update && sudo ${install} ` +
        '(or set REDIS_URL to an existing Redis).',
    );
  }
  log(`redis-server not found: installing the Debian package ${REDIS_PACKAGE}`);
  await run('apt-get', ['update']);
  await run('apt-get', install.split(' ').slice(1));
  const binary = await find();
  if (!binary) throw new Error(`${install} succeeded but redis-server is still not in /usr/bin or /usr/sbin`);
  return binary;
}

function runInherited(command, args) {
  return new Promise((resolve, reject) => {
    // stdout goes to our stderr: progress stays visible without polluting a caller's stdout
    const child = spawn(command, args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `code ${code}`})`)),
    );
  });
}

/** Resolves once the redis-server with this pid answers on port (not some other server that took it). */
async function waitForPing(port, pid, timeoutMs, giveUp) {
  const deadline = Date.now() + timeoutMs;
  while (!giveUp.aborted) {
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
      commandTimeout: 1_000, // a non-Redis listener on the port accepts but never answers
    });
    client.on('error', () => undefined); // connection refused until redis listens
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        const info = await client.info('server');
        if (!info.includes(`process_id:${pid}\r`)) throw new Error(`another Redis answers on port ${port}`);
        return;
      }
    } catch (err) {
      if (err.message.startsWith('another Redis')) throw err;
      if (Date.now() > deadline)
        throw new Error(`redis-server did not answer PING on port ${port} within ${timeoutMs} ms: ${err.message}`);
    } finally {
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
