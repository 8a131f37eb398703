// Keeps one child process running (scripts/start.mjs uses it for the relay agent): any exit we
// did not ask for is followed by a restart, after a capped, jittered exponential backoff that
// starts over once a run has lasted `stableMs`; nothing restarts once stop() was called.
//
// States and the only transitions allowed:
//   running  -> waiting   the child exited on its own: a restart is scheduled
//   waiting  -> running   the backoff elapsed: a new child is spawned
//   running  -> stopping  stop(): the child is signalled (SIGKILL after the grace period)
//   waiting  -> stopped   stop(): the scheduled restart is cancelled
//   stopping -> stopped   the child exited

/** 0.5 s, 1 s, 2 s ... capped at 10 s; a run of 30 s counts as stable and resets the count. */
export const RESTART_POLICY = Object.freeze({ initialMs: 500, maxMs: 10_000, jitter: 0.3, stableMs: 30_000 });

/**
 * What to do after the child exited. `previousAttempt` is 0 before the first restart.
 * The delay formula is relay/src/process/backoff.ts's (a script cannot import TypeScript sources).
 * @param {{ stopping: boolean, previousAttempt: number, ranMs: number }} exit
 * @param {{ initialMs: number, maxMs: number, jitter: number, stableMs: number }} [policy]
 * @param {() => number} [random] in [0, 1)
 * @returns {{ restart: false } | { restart: true, attempt: number, delayMs: number }}
 */
export function decideRestart({ stopping, previousAttempt, ranMs }, policy = RESTART_POLICY, random = Math.random) {
  if (stopping) return { restart: false };
  const attempt = ranMs >= policy.stableMs ? 1 : previousAttempt + 1;
  const exponential = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  const spread = exponential * policy.jitter;
  return { restart: true, attempt, delayMs: Math.round(exponential - spread + random() * spread) };
}

const TRANSITIONS = {
  running: ['waiting', 'stopping'],
  waiting: ['running', 'stopped'],
  stopping: ['stopped'],
  stopped: [],
};

const describeExit = (code, signal) => (signal ? `signal ${signal}` : code === null ? 'spawn failed' : `code ${code}`);

/**
 * Spawns the child with `spawnChild()` now and keeps it running until stop().
 * @param {{
 *   name: string,
 *   spawnChild: () => import('node:child_process').ChildProcess,
 *   log: (msg: string) => void,
 *   policy?: typeof RESTART_POLICY,
 *   random?: () => number,
 *   now?: () => number,
 *   stopSignal?: NodeJS.Signals,
 *   stopGraceMs?: number,
 * }} options
 * @returns {{ readonly state: string, readonly pid: number | undefined, stop: () => Promise<void> }}
 */
export function superviseChild({
  name,
  spawnChild,
  log,
  policy = RESTART_POLICY,
  random = Math.random,
  now = Date.now,
  stopSignal = 'SIGTERM',
  stopGraceMs = 10_000,
}) {
  let state = 'running';
  let child = null;
  let startedAt = 0;
  let attempt = 0;
  let restartTimer = null;
  let killTimer = null;
  let stopped = null;
  let resolveStopped = () => {};

  const transition = (to) => {
    if (!TRANSITIONS[state].includes(to)) throw new Error(`${name}: ${state} -> ${to} is not allowed`);
    state = to;
  };

  const onExit = (code, signal) => {
    const ranMs = now() - startedAt;
    const decision = decideRestart({ stopping: state === 'stopping', previousAttempt: attempt, ranMs }, policy, random);
    const exit = `${name} exited (${describeExit(code, signal)}) after ${(ranMs / 1000).toFixed(1)} s`;
    child = null;
    if (!decision.restart) {
      clearTimeout(killTimer);
      transition('stopped');
      log(exit);
      resolveStopped();
      return;
    }
    attempt = decision.attempt;
    transition('waiting');
    log(`${exit}; restart ${attempt} in ${decision.delayMs} ms`);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      transition('running');
      launch();
    }, decision.delayMs);
  };

  function launch() {
    startedAt = now();
    let done = false;
    const exitOnce = (code, signal) => {
      if (done) return;
      done = true;
      onExit(code, signal);
    };
    try {
      child = spawnChild();
    } catch (error) {
      log(`${name} could not be started: ${error instanceof Error ? error.message : String(error)}`);
      exitOnce(null, null);
      return;
    }
    const current = child;
    if (attempt > 0) log(`${name} restarted (attempt ${attempt}, pid ${current.pid})`);
    current.once('exit', exitOnce);
    current.on('error', (error) => {
      log(`${name}: ${error.message}`);
      // A failed spawn may never report 'exit'.
      if (current.pid === undefined) exitOnce(null, null);
    });
  }

  launch();

  return {
    get state() {
      return state;
    },
    get pid() {
      return child?.pid;
    },
    /** Stops the child (stopSignal, then SIGKILL after stopGraceMs) and cancels any restart. */
    stop() {
      if (stopped) return stopped;
      if (state === 'waiting') {
        clearTimeout(restartTimer);
        transition('stopped');
        log(`${name} stopped (restart cancelled)`);
        stopped = Promise.resolve();
        return stopped;
      }
      transition('stopping');
      stopped = new Promise((resolve) => (resolveStopped = resolve));
      const current = child;
      current.kill(stopSignal);
      killTimer = setTimeout(() => {
        log(`${name} did not stop within ${stopGraceMs} ms: SIGKILL`);
        current.kill('SIGKILL');
      }, stopGraceMs);
      return stopped;
    },
  };
}
