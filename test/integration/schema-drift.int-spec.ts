import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('generated artefacts', () => {
  it('the committed migrations produce prisma/schema.prisma (npm run db:check)', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/db/check-drift.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: process.env.TEST_ADMIN_DATABASE_URL },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}`.slice(-2000) }).toEqual({
      status: 0,
      output: expect.stringContaining('OK: the'),
    });
  });
});
