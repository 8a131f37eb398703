// `npm start` (scripts/start.mjs) stops completely, quickly and in order, on a terminal's Ctrl-C
// (SIGINT to the whole foreground process group) and on SIGTERM, with a stream and two SSE clients
// connected. The cases run the real script on one fresh data dir (the second is a restart, which
// also keeps the suite short): embedded Postgres, redis-server, the compiled API; no relay agent
// (RELAY_ENABLED=false: no video here).
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForValue as waitFor } from '../support/wait-for-value';
import { findFreePort as freePort } from '../../relay/testkit/rtmp-sinks';

const ROOT = path.resolve(__dirname, '../..');
const STOP_BUDGET_MS = 10_000;
/** What start.mjs would otherwise take from this environment instead of starting its own. */
const INHERITED = ['DATABASE_URL', 'REDIS_URL', 'ENCRYPTION_KEYS', 'PUBLISH_KEY_SECRET', 'RELAY_TOKENS', 'ADMIN_PASSWORD_HASH'];

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // gone meanwhile, or not ours to read
  }
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Clock ticks after boot: with the pid, names a process even once its pid is reused. */
  startTime: string;
  command: string;
  namesDataDir: boolean;
}

/** Every live (non-zombie) process, and whether its command line or environment names dataDir. */
function listProcesses(dataDir: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readProc(pid, 'stat');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, pgrp, ... (field 3 on)
    if (!stat || fields[0] === 'Z') continue;
    const cmdline = readProc(pid, 'cmdline');
    found.push({
      pid: Number(pid),
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTime: fields[19],
      command: cmdline.split('\0').join(' ').trim(),
      namesDataDir: cmdline.includes(dataDir) || readProc(pid, 'environ').split('\0').includes(`RESTREAM_DATA_DIR=${dataDir}`),
    });
  }
  return found;
}

/**
 * The processes of a run: those naming its data dir, and every descendant of start.mjs or of
 * those (redis-server and postgres's workers rewrite their titles, which hides their environment).
 */
function processesOfRun(dataDir: string, rootPid: number): ProcessInfo[] {
  const all = listProcesses(dataDir);
  const members = new Set(all.filter((p) => p.namesDataDir || p.pid === rootPid).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!members.has(p.pid) && members.has(p.ppid)) grew = members.add(p.pid).size > 0;
    }
  }
  return all.filter((p) => members.has(p.pid));
}

/** Of `earlier`, the processes still alive (same pid and start time), plus any naming dataDir. */
function leftOver(dataDir: string, earlier: ProcessInfo[]): ProcessInfo[] {
  const now = listProcesses(dataDir);
  return now.filter((p) => p.namesDataDir || earlier.some((e) => e.pid === p.pid && e.startTime === p.startTime));
}

function request(port: number, method: string, urlPath: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** An SSE client: records what arrives and whether the server ended the response cleanly. */
function openEvents(port: number, streamId: string, apiKey: string) {
  const client = { received: '', status: 0, ended: false, broken: false };
  const req = http.get(
    {
      host: '127.0.0.1',
      port,
      path: `/api/managed-streams/${streamId}/events`,
      headers: { 'x-api-key': apiKey, accept: 'text/event-stream' },
    },
    (res) => {
      client.status = res.statusCode ?? 0;
      res.on('data', (chunk: Buffer) => (client.received += chunk.toString()));
      res.on('end', () => (client.ended = true));
      res.on('aborted', () => (client.broken = true));
    },
  );
  req.on('error', () => (client.broken = true));
  return client;
}

interface Run {
  child: ChildProcess;
  /** The run's processes last seen (for the clean-up after a failure). */
  seen?: ProcessInfo[];
  dataDir: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const runs: Run[] = [];
let dataDir = '';
/** Printed by the first run only, which creates the demo app. */
let apiKey: string | undefined;
let started = 0;

async function startService(): Promise<Run & { port: number; apiKey: string }> {
  const startedAt = Date.now();
  started += 1;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    RESTREAM_DATA_DIR: dataDir,
    RELAY_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  };
  for (const name of INHERITED) delete env[name];
  // Detached: its own process group, as a shell gives `npm start`, so the test can signal the group.
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const output = () => text;
  const run = { child, dataDir, output, exited };
  runs.push(run);

  apiKey ??= await waitFor('the demo app', () => /API key \(shown once, store it now\): (\S+)/.exec(text)?.[1], 60_000, output);
  await waitFor(
    'GET /health',
    () =>
      request(port, 'GET', '/health', {}).then(
        (res) => (res.status === 200 ? true : undefined),
        () => undefined,
      ),
    60_000,
    output,
  );
  process.stderr.write(`[start-shutdown] up in ${Date.now() - startedAt} ms\n`);
  return { ...run, port, apiKey };
}

/** A live stream and two SSE clients on it, both past the replay of its history. */
async function connectClients(port: number, apiKey: string, output: () => string) {
  const created = await request(
    port,
    'POST',
    '/api/managed-streams',
    { 'x-api-key': apiKey, 'content-type': 'application/json' },
    { userId: `glasses-${started}`, strategy: 'relay' }, // a user has one live stream at a time
  );
  expect(created.status).toBe(201);
  const { streamId } = JSON.parse(created.body) as { streamId: string };
  const clients = [openEvents(port, streamId, apiKey), openEvents(port, streamId, apiKey)];
  await waitFor(
    'two SSE clients with the stream history',
    () => (clients.every((c) => c.received.includes('\nevent: stream.status')) ? true : undefined),
    10_000,
    output,
  );
  expect(clients.map((c) => c.status)).toEqual([200, 200]);
  return clients;
}

async function expectCleanStop(run: Run & { port: number; apiKey: string }, signal: NodeJS.Signals, toGroup: boolean) {
  const clients = await connectClients(run.port, run.apiKey, run.output);
  const startPid = run.child.pid ?? 0;
  const before = processesOfRun(run.dataDir, startPid);
  run.seen = before;
  // The API, redis-server and postgres (with its own workers) run, each outside start.mjs's group.
  for (const needle of ['dist/src/main.js', 'redis-server', '/postgres']) {
    expect(before).toContainEqual(expect.objectContaining({ command: expect.stringContaining(needle) }));
    expect(before.find((p) => p.command.includes(needle))?.pgid).not.toBe(startPid);
  }

  const sentAt = Date.now();
  process.kill(toGroup ? -startPid : startPid, signal);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    run.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STOP_BUDGET_MS + 5_000))),
  ]);
  clearTimeout(timer);
  const tookMs = (exit?.at ?? Date.now()) - sentAt;
  process.stderr.write(`[start-shutdown] ${signal}${toGroup ? ' to the process group' : ''}: stopped in ${tookMs} ms\n`);
  expect(exit).not.toBeNull();
  expect(tookMs).toBeLessThan(STOP_BUDGET_MS);
  expect(exit?.code).toBe(0);

  // The SSE responses ended (not cut): clients reconnect with Last-Event-ID and lose nothing.
  expect(clients.map((c) => ({ ended: c.ended, broken: c.broken }))).toEqual([
    { ended: true, broken: false },
    { ended: true, broken: false },
  ]);
  // In order: nothing stopped under the API, nothing was killed for not stopping.
  expect(run.output()).not.toMatch(/exited unexpectedly|did not stop within|SIGKILL/);
  // No process of the run is left (the detached watchdogs read their disarm right away).
  const left = await waitFor(
    'every process of the run to be gone',
    () => (leftOver(run.dataDir, before).length === 0 ? [] : undefined),
    2_000,
    () => JSON.stringify(leftOver(run.dataDir, before), null, 2),
  );
  expect(left).toEqual([]);
}

describe('npm start shuts down', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'restream-start-'));
    chmodSync(dataDir, 0o755); // as root, Postgres runs as the postgres user, which must enter it
    // start.mjs compiles when dist/ is stale; done here, so the cases below time the service alone.
    const build = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "(await import('./scripts/prepare.mjs')).prepare({ build: true })"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }, 300_000);

  // After a failure: nothing of the run may outlive the test.
  afterEach(() => {
    for (const run of runs.splice(0)) {
      for (const { pid } of leftOver(run.dataDir, run.seen ?? [])) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on Ctrl-C (SIGINT to the whole process group) within 10 s, SSE clients told, nothing left behind', async () => {
    await expectCleanStop(await startService(), 'SIGINT', true);
  }, 90_000);

  it('on SIGTERM within 10 s, SSE clients told, nothing left behind', async () => {
    await expectCleanStop(await startService(), 'SIGTERM', false);
  }, 90_000);
});
