// Debian's Chromium, which the dashboard's browser tests drive with playwright-core
// (never `npx playwright install`: it downloads its own browser, which this setup does not use).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const PACKAGES = ['chromium'];

/**
 * True when Chromium is there, after installing it with apt-get when running as root.
 * Otherwise says exactly what to install and returns false.
 */
export function ensureBrowserPackages(log) {
  if (existsSync(CHROMIUM_PATH)) return true;
  const command = `apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`the dashboard's browser tests need ${CHROMIUM_PATH} (Debian package chromium): sudo apt-get update && sudo ${command}`);
    return false;
  }
  log(`installing ${PACKAGES.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('sh', ['-c', command], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    log(`could not install ${PACKAGES.join(', ')}`);
    return false;
  }
  return true;
}
