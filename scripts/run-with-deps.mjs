#!/usr/bin/env node
// `node scripts/run-with-deps.mjs [--relay-packages] <command> [args...]`: what the npm scripts a
// README names run through, so that each works first thing on a fresh clone (`tsx: not found`
// otherwise): installs the npm dependencies and generates the Prisma client when missing or stale,
// then runs the command (a binary of node_modules/.bin or the PATH) and exits with its status.
// `--relay-packages`: FFmpeg and nginx-rtmp too (apt, when root), for commands that publish video.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ensureDependencies, ensureNodeVersion, ensurePrismaClient, ROOT } from './prepare.mjs';
import { ensureRelayPackages } from './services/relay-packages.mjs';

const log = (msg) => process.stderr.write(`[run] ${msg}\n`);
let args = process.argv.slice(2);
const relayPackages = args[0] === '--relay-packages';
if (relayPackages) args = args.slice(1);
if (args.length === 0) {
  log('usage: node scripts/run-with-deps.mjs [--relay-packages] <command> [args...]');
  process.exit(2);
}

try {
  ensureNodeVersion();
  ensureDependencies();
  ensurePrismaClient();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
// A missing package is reported by the command itself (e.g. "ffmpeg not found"), with this hint first.
if (relayPackages) ensureRelayPackages(log);

const [command, ...rest] = args;
const child = spawn(command, rest, {
  stdio: 'inherit',
  // npm puts node_modules/.bin on PATH only when it exists before the script starts.
  env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
});
// A terminal's Ctrl-C reaches the child itself (same foreground group): passing SIGINT on too would
// interrupt it twice, so we only wait for it. SIGTERM and SIGHUP sent to us alone are passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  log(`${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
