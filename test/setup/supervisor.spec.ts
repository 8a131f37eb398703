// scripts/services/supervisor.mjs (what restarts the relay agent under `npm start`), run against a
// tiny Node child instead of the relay. Like service-bootstrap.spec.ts, each case runs the ES
// module in a child `node` (jest's module sandbox cannot load it) and reads what it prints.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const supervisorUrl = pathToFileURL(path.resolve(__dirname, '../../scripts/services/supervisor.mjs')).href;

/** The supervised child: prints `child <pid> <start time>`, then behaves as `mode` says. */
const CHILD = `
const mode = process.argv[1];
if (mode === 'ignore-term') process.on('SIGTERM', () => {});
console.log('child ' + process.pid + ' ' + Date.now());
if (mode === 'exit') process.exit(3);
setInterval(() => {}, 1000);
`;

interface HostOptions {
  mode: 'exit' | 'live' | 'ignore-term';
  policy: { initialMs: number; maxMs: number; jitter: number; stableMs: number };
  stopGraceMs?: number;
}

/**
 * A node process running superviseChild(). SIGTERM makes it call stop(), print `stopped`, then
 * stay up a little longer than the longest backoff, so a restart that should not happen would show.
 */
function startHost({ mode, policy, stopGraceMs = 5000 }: HostOptions) {
  const code = `
    import { spawn } from 'node:child_process';
    import { superviseChild } from '${supervisorUrl}';
    const supervisor = superviseChild({
      name: 'child',
      spawnChild: () => spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}, ${JSON.stringify(mode)}], { stdio: ['ignore', 'inherit', 'inherit'] }),
      log: (msg) => console.log('log: ' + msg),
      policy: ${JSON.stringify(policy)},
      stopGraceMs: ${stopGraceMs},
    });
    process.on('SIGTERM', async () => {
      await supervisor.stop();
      console.log('stopped ' + supervisor.state);
      setTimeout(() => process.exit(0), ${policy.maxMs + 500});
    });`;
  const host = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  const waiters = new Set<() => void>();
  host.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete.filter(Boolean));
    for (const check of waiters) check();
  });
  host.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => host.once('exit', (exitCode) => resolve(exitCode)));

  /** Resolves once `count` lines match, with those lines; fails after timeoutMs, showing the output. */
  const waitFor = (pattern: RegExp, count = 1, timeoutMs = 10_000) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const matching = lines.filter((line) => pattern.test(line));
        if (matching.length < count) return;
        cleanup();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${count} × ${pattern} in:\n${lines.join('\n')}\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  /** Pids the supervised children printed, in start order. */
  const childPids = () => lines.filter((line) => line.startsWith('child ')).map((line) => Number(line.split(' ')[1]));
  return { host, lines, exited, waitFor, childPids };
}

type Host = ReturnType<typeof startHost>;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const NO_JITTER = { jitter: 0, stableMs: 60_000 };

describe('decideRestart', () => {
  it('backs off exponentially up to the cap, starts over after a stable run, never restarts while stopping', async () => {
    const code = `
      import { decideRestart, RESTART_POLICY } from '${supervisorUrl}';
      const policy = { ...RESTART_POLICY, jitter: 0 };
      const delays = [];
      for (let previousAttempt = 0; previousAttempt < 7; previousAttempt += 1)
        delays.push(decideRestart({ stopping: false, previousAttempt, ranMs: 100 }, policy).delayMs);
      console.log(JSON.stringify({
        delays,
        stable: decideRestart({ stopping: false, previousAttempt: 6, ranMs: 30_000 }, policy),
        almostStable: decideRestart({ stopping: false, previousAttempt: 6, ranMs: 29_999 }, policy),
        stopping: decideRestart({ stopping: true, previousAttempt: 0, ranMs: 100 }, policy),
        jitterLow: decideRestart({ stopping: false, previousAttempt: 1, ranMs: 0 }, RESTART_POLICY, () => 0).delayMs,
        jitterHigh: decideRestart({ stopping: false, previousAttempt: 1, ranMs: 0 }, RESTART_POLICY, () => 0.999).delayMs,
      }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));

    expect(JSON.parse(stdout)).toEqual({
      delays: [500, 1000, 2000, 4000, 8000, 10_000, 10_000],
      stable: { restart: true, attempt: 1, delayMs: 500 },
      almostStable: { restart: true, attempt: 7, delayMs: 10_000 },
      stopping: { restart: false },
      // 30% jitter on the 1 s delay: between 700 ms and 1 s, never above the un-jittered delay.
      jitterLow: 700,
      jitterHigh: 1000,
    });
  });
});

describe('superviseChild', () => {
  let current: Host | undefined;
  const start = (options: HostOptions) => (current = startHost(options));
  afterEach(() => {
    // A failed case must not leave its processes behind.
    if (!current) return;
    current.host.kill('SIGKILL');
    for (const pid of current.childPids()) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    current = undefined;
  });

  it('restarts a child that keeps exiting, waiting longer each time up to the cap', async () => {
    const { host, waitFor, exited } = start({ mode: 'exit', policy: { initialMs: 100, maxMs: 400, ...NO_JITTER } });

    const starts = (await waitFor(/^child /, 5)).map((line) => Number(line.split(' ')[2]));
    const restarts = await waitFor(/restart \d+ in/, 4);
    expect(restarts.map((line) => line.replace(/after [\d.]+ s/, 'after …'))).toEqual([
      'log: child exited (code 3) after …; restart 1 in 100 ms',
      'log: child exited (code 3) after …; restart 2 in 200 ms',
      'log: child exited (code 3) after …; restart 3 in 400 ms',
      'log: child exited (code 3) after …; restart 4 in 400 ms',
    ]);
    await waitFor(/^log: child restarted \(attempt 4, pid \d+\)$/);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]);
    [100, 200, 400, 400].forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(delay));

    host.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
  });

  it('restarts a SIGKILLed child; stop() then stops the child and nothing restarts it', async () => {
    const { host, lines, waitFor, childPids, exited } = start({
      mode: 'live',
      policy: { initialMs: 200, maxMs: 1000, ...NO_JITTER },
    });
    await waitFor(/^child /);
    const [first] = childPids();

    process.kill(first, 'SIGKILL');
    await waitFor(/^child /, 2);
    const second = childPids()[1];
    expect(second).not.toBe(first);
    expect(lines).toContainEqual(
      expect.stringMatching(/^log: child exited \(signal SIGKILL\) after [\d.]+ s; restart 1 in 200 ms$/),
    );
    expect(isRunning(second)).toBe(true);

    host.kill('SIGTERM');
    await waitFor(/^stopped /);
    expect(isRunning(second)).toBe(false);
    await expect(exited).resolves.toBe(0);
    // The host stayed up longer than any backoff after stopping: no restart, no third child.
    expect(lines.slice(lines.findIndex((line) => line.startsWith('stopped ')))).toEqual(['stopped stopped']);
    expect(childPids()).toEqual([first, second]);
    expect(lines).toContainEqual(expect.stringMatching(/^log: child exited \(signal SIGTERM\) after [\d.]+ s$/));
  });

  it('a stop during the backoff cancels the pending restart', async () => {
    const { host, lines, waitFor, childPids, exited } = start({
      mode: 'exit',
      policy: { initialMs: 1000, maxMs: 1000, ...NO_JITTER },
    });
    await waitFor(/restart 1 in 1000 ms/);

    host.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(lines).toContain('log: child stopped (restart cancelled)');
    expect(lines).toContain('stopped stopped');
    expect(childPids()).toHaveLength(1);
  });

  it('a child that ignores the stop signal is SIGKILLed after the grace period, and not restarted', async () => {
    const { host, lines, waitFor, childPids, exited } = start({
      mode: 'ignore-term',
      policy: { initialMs: 100, maxMs: 100, ...NO_JITTER },
      stopGraceMs: 300,
    });
    await waitFor(/^child /); // printed once its SIGTERM handler is in place

    host.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(lines).toContain('log: child did not stop within 300 ms: SIGKILL');
    expect(lines).toContainEqual(expect.stringMatching(/^log: child exited \(signal SIGKILL\) after [\d.]+ s$/));
    expect(childPids()).toHaveLength(1);
    expect(isRunning(childPids()[0])).toBe(false);
  });
});
