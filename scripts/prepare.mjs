// Makes a fresh clone runnable: dependencies installed, Prisma client generated, and
// (for `start`) the TypeScript compiled. Each step runs only when its output is missing or stale.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where `npm start` keeps its state (.data/, or RESTREAM_DATA_DIR): Postgres, Redis, secrets. */
export const DATA_DIR = process.env.RESTREAM_DATA_DIR ? path.resolve(process.env.RESTREAM_DATA_DIR) : path.join(ROOT, '.data');
/** Local secrets `npm start` generates on a development machine (NAME=value lines). */
export const LOCAL_SECRETS_FILE = path.join(DATA_DIR, 'secrets.env');

/** NAME=value lines as an object; {} when the file does not exist. */
export function readEnvFile(file) {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
const log = (msg) => process.stderr.write(`[prepare] ${msg}\n`);

/**
 * Local secrets for a development machine, generated once into LOCAL_SECRETS_FILE (by `npm start`,
 * or by the CLI when it runs first); production passes its own through the environment.
 */
export function loadOrCreateLocalSecrets(logTo = log) {
  const file = LOCAL_SECRETS_FILE;
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    const lines = [
      `ENCRYPTION_KEYS=k1:${randomBytes(32).toString('base64')}`,
      `PUBLISH_KEY_SECRET=${randomBytes(32).toString('base64url')}`,
      `RELAY_TOKENS=${randomBytes(24).toString('base64url')}`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    logTo(`generated local secrets in ${file} (keep it: it decrypts the stored stream keys)`);
  }
  // Added after the first release: files written before it get it on their next start.
  if (!readEnvFile(file).RECORDING_URL_SECRET) {
    appendFileSync(file, `RECORDING_URL_SECRET=${randomBytes(32).toString('base64url')}\n`);
  }
  return readEnvFile(file);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated' && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

export function ensureNodeVersion() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 10)) {
    throw new Error(`Node ${process.versions.node} is too old: install Node 20.10 or newer`);
  }
}

export function ensureDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || mtime(marker) < mtime(lock)) {
    log('installing npm dependencies (npm install)');
    // `npm ci` fails against this registry (see README); install from the committed lockfile.
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

export function ensurePrismaClient() {
  const schema = path.join(ROOT, 'prisma', 'schema.prisma');
  const client = path.join(ROOT, 'src', 'generated', 'prisma', 'client.ts');
  if (mtime(client) < mtime(schema)) {
    log('generating the Prisma client');
    run(process.execPath, [
      path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      'scripts/db/prisma-offline.ts',
      'generate',
    ]);
  }
}

export function ensureBuild() {
  const output = path.join(ROOT, 'dist', 'src', 'main.js');
  if (mtime(output) < Math.max(newestMtime(path.join(ROOT, 'src')), mtime(path.join(ROOT, 'prisma', 'schema.prisma')))) {
    log('compiling TypeScript (nest build)');
    run(process.execPath, [path.join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build']);
  }
}

/** The dashboard (admin-ui/, Vite) built into dist/admin-ui, which the API serves under /admin. */
export function ensureAdminUi() {
  const source = path.join(ROOT, 'admin-ui');
  const config = path.join(source, 'vite.config.ts');
  if (!existsSync(config)) return;
  if (mtime(path.join(ROOT, 'dist', 'admin-ui', 'index.html')) >= newestMtime(source)) return;
  log('building the admin dashboard (npm run build:admin-ui)');
  // Vite's report goes to stderr: stdout belongs to the command (`npm run cli -- admin:hash-password`).
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', config], {
    cwd: ROOT,
    stdio: [0, 2, 2],
    env: process.env,
  });
  if (result.status !== 0) {
    // The API runs without it: /admin then says how to build it.
    log(`the admin dashboard did not build (exit ${result.status ?? result.error?.message}); /admin answers 503 until it does`);
  }
}

export function prepare({ build }) {
  ensureNodeVersion();
  ensureDependencies();
  ensurePrismaClient();
  if (build) ensureBuild();
  ensureAdminUi();
}
