// Keeps the database and Redis children from outliving the Node process that
// started them, however it ends:
// - normal exit / process.exit(): a sync 'exit' handler signals the children;
// - SIGINT / SIGTERM / SIGHUP with no other listener: the async stops run, then the
//   signal is re-raised so the process ends as it would have. A host that listens
//   for the signal itself (scripts/start.mjs stops the app first) owns the order and
//   calls stop(); the 'exit' handler and the watchdog remain its safety net;
// - SIGKILL or a crash: nothing runs in this process, so a detached watchdog shell
//   holds the read end of a pipe from us; the kernel closes our end when we die,
//   the watchdog reads EOF, stops the child and removes its scratch directory.
import { spawn } from 'node:child_process';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const guarded = new Set();
let installed = false;

// $1 pid to stop, $2 signal, $3 directory to remove afterwards (may be empty).
// A zombie counts as gone: an init that is slow to reap must not delay the cleanup.
const WATCHDOG = `
trap '' INT HUP
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
read -r line
[ "$line" = disarm ] && exit 0
kill -"$2" "$1" 2>/dev/null
i=0
while alive "$1" && [ $i -lt 150 ]; do
  i=$((i + 1))
  [ $i -eq 100 ] && kill -KILL "$1" 2>/dev/null
  sleep 0.1
done
[ -n "$3" ] && rm -rf -- "$3"
exit 0
`;

function spawnWatchdog(pid, signal, removeDir) {
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'watchdog', String(pid), signal.replace(/^SIG/, ''), removeDir ?? ''], {
    detached: true, // own session: a Ctrl-C aimed at our process group must not kill it first
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined); // best effort: the exit handlers still apply
  watchdog.stdin.on('error', () => undefined);
  watchdog.unref();
  watchdog.stdin.unref();
  return watchdog;
}

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const entry of guarded) entry.killSync();
  });
  for (const signal of SIGNALS) {
    const onSignal = async () => {
      if (process.listenerCount(signal) > 1) return; // the host handles it
      await Promise.allSettled([...guarded].map((entry) => entry.stop()));
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Ties a child process (given by pid) to this process's lifetime.
 * `stop` is the graceful async stop; `signal` is what the sync exit path and the
 * watchdog send. Returns `release()`, to call once the child has been stopped.
 */
export function guardChild({ pid, signal, stop, removeDir }) {
  install();
  const watchdog = spawnWatchdog(pid, signal, removeDir);
  const entry = {
    stop,
    killSync() {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
  guarded.add(entry);
  return function release() {
    guarded.delete(entry);
    if (watchdog.stdin.writable) watchdog.stdin.end('disarm\n');
  };
}
