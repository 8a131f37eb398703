// FFmpeg and nginx with the RTMP module, from Debian's packages: what the relay runs on.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

// The font draws the slate's text (the card the audience sees while the glasses reconnect).
export const RELAY_PACKAGES = ['ffmpeg', 'nginx', 'libnginx-mod-rtmp', 'fonts-dejavu-core'];
const SLATE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const RTMP_MODULES = ['/usr/lib/nginx/modules/ngx_rtmp_module.so', '/usr/share/nginx/modules/ngx_rtmp_module.so'];

export function hasRelayPackages() {
  const onPath = (binary) => spawnSync('sh', ['-c', `command -v ${binary} || test -x /usr/sbin/${binary}`]).status === 0;
  return (
    RTMP_MODULES.some((module) => existsSync(module)) &&
    existsSync(SLATE_FONT) &&
    onPath('ffmpeg') &&
    onPath('ffprobe') &&
    onPath('nginx')
  );
}

/**
 * True when the packages are there, after installing them with apt-get when running as root.
 * Otherwise says exactly what to install and returns false.
 */
export function ensureRelayPackages(log) {
  if (hasRelayPackages()) return true;
  const command = `apt-get install -y --no-install-recommends ${RELAY_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`the relay needs the Debian packages ${RELAY_PACKAGES.join(', ')}: sudo apt-get update && sudo ${command}`);
    return false;
  }
  log(`installing ${RELAY_PACKAGES.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('sh', ['-c', command], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0 || !hasRelayPackages()) {
    log(`could not install ${RELAY_PACKAGES.join(', ')}`);
    return false;
  }
  return true;
}
