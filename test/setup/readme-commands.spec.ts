// The README's commands, in the README's order, the way a newcomer types them: the Cloudflare
// stand-in recipe (stand-in first, then `npm start` with its webhook), the `curl` example with the
// demo app's key, `npm run cli -- apps:create` beside the running service and its key in use, an
// input that errors after it had video (noticed through the stand-in's webhook), Ctrl-C, and the
// CLI again once the service is down. The recipe and the request body are read from README.md, so
// a README that drifts fails here. Own data dir and free ports; no relay agent (no video here).
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForValue as waitFor } from '../support/wait-for-value';
import { findFreePort as freePort } from '../../relay/testkit/rtmp-sinks';

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** What the commands would otherwise take from the test run's environment instead of their own. */
const INHERITED =
  /^(DATABASE_URL|REDIS_URL|ENCRYPTION_KEYS|PUBLISH_KEY_SECRET|RELAY_TOKENS|ADMIN_PASSWORD_HASH|CLOUDFLARE_\w+|CF_STAND_IN_\w+)$/;

interface ReadmeCommand {
  env: Record<string, string>;
  npmArgs: string[];
}

/** `VAR=value ... npm run x` / `npm start` lines of the sh block that follows `heading` in the README. */
function readmeCommands(heading: string): ReadmeCommand[] {
  const from = README.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(from))?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const words = line.trim().split(/\s+/);
      const npmAt = words.indexOf('npm');
      const env = Object.fromEntries(words.slice(0, npmAt).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
      return { env, npmArgs: words.slice(npmAt + 1) };
    });
}

/** The README's example request body (its first `curl ... -d '...'`). */
function readmeCreateBody(): unknown {
  const body = /curl -s -X POST [^\n]*\/api\/managed-streams[\s\S]*?-d '([^']+)'/.exec(README)?.[1];
  expect(body).toBeDefined();
  return JSON.parse(body ?? '');
}

interface Background {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
}

/** A long-running npm command in its own process group, as a terminal runs it. */
function npmInBackground(args: string[], env: NodeJS.ProcessEnv): Background {
  const child = spawn('npm', args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // npm ends itself with the signal its script got (Ctrl-C), or with the script's exit code.
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => text, exited };
}

/** How a background command ended ('0', 'SIGINT', ...), or 'still running' after 10 s. */
async function stopped(run: Background): Promise<string> {
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
  return String(await Promise.race([run.exited, timeout]));
}

/** A short npm command run to its end. */
function npm(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const API_KEY = /API key \(shown once, store it now\): (\S+)/;

describe("the README's commands, in order, beside each other", () => {
  let dataDir = '';
  let baseEnv: NodeJS.ProcessEnv = {};
  const background: Background[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'restream-readme-'));
    chmodSync(dataDir, 0o755); // as root, Postgres runs as the postgres user, which must enter it
    baseEnv = { ...process.env, NODE_ENV: 'development', RESTREAM_DATA_DIR: dataDir, RELAY_ENABLED: 'false', LOG_LEVEL: 'warn' };
    for (const name of Object.keys(baseEnv)) if (INHERITED.test(name)) delete baseEnv[name];
    // `npm start` compiles when dist/ is stale; done here, so the 60 s below are the commands'.
    const build = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "(await import('./scripts/prepare.mjs')).prepare({ build: true })"],
      { cwd: ROOT, stdio: 'inherit' },
    );
    expect(build.status).toBe(0);
  }, 300_000);

  afterAll(async () => {
    for (const run of background) {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        try {
          process.kill(-(run.child.pid ?? 0), 'SIGTERM');
        } catch {
          // already gone
        }
        await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('stand-in, npm start, curl, cli beside it, an errored input noticed by webhook, Ctrl-C, cli alone', async () => {
    const [standInPort, apiPort] = [await freePort(), await freePort()];
    const ports = (value: string) =>
      value.replace('127.0.0.1:3000', `127.0.0.1:${apiPort}`).replace('127.0.0.1:8788', `127.0.0.1:${standInPort}`);
    const recipe = readmeCommands('To run the service against the local Cloudflare stand-in');
    expect(recipe.map((c) => c.npmArgs.join(' '))).toEqual(['run cloudflare:stand-in', 'start']);
    const envOf = (command: ReadmeCommand) =>
      Object.fromEntries(Object.entries(command.env).map(([name, value]) => [name, ports(value)]));

    // 1. The stand-in, its notifications pointed at the service (which is not up yet).
    const standIn = npmInBackground(recipe[0].npmArgs, {
      ...baseEnv,
      ...envOf(recipe[0]),
      CF_STAND_IN_PORT: String(standInPort),
    });
    background.push(standIn);
    await waitFor(
      'the stand-in',
      () => (standIn.output().includes('stand-in listening') ? true : undefined),
      30_000,
      standIn.output,
    );
    const control = `http://127.0.0.1:${standInPort}/__control`;

    // 2. `npm start` with the recipe's Cloudflare settings; the first run prints the demo app's key.
    const service = npmInBackground(recipe[1].npmArgs, { ...baseEnv, ...envOf(recipe[1]), PORT: String(apiPort) });
    background.push(service);
    const api = `http://127.0.0.1:${apiPort}`;
    const demoKey = await waitFor('the demo app', () => API_KEY.exec(service.output())?.[1], 45_000, service.output);
    await waitFor(
      'GET /health',
      () =>
        fetch(`${api}/health`).then(
          (res) => (res.ok ? true : undefined),
          () => undefined,
        ),
      30_000,
      service.output,
    );

    // 3. The README's curl example.
    const created = await fetch(`${api}/api/managed-streams`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demoKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(readmeCreateBody()),
    });
    const stream = (await created.json()) as { streamId: string; strategy: string; userId: string };
    expect({ status: created.status, strategy: stream.strategy }).toEqual({ status: 201, strategy: 'cloudflare' });

    // 4. Another app, made with the CLI while the service runs (same embedded Postgres), and its key in use.
    const cli = await npm(['run', '--silent', 'cli', '--', 'apps:create', 'My glasses app'], baseEnv);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    const appKey = API_KEY.exec(cli.stdout)?.[1] ?? '';
    const listed = await fetch(`${api}/api/managed-streams?userId=${encodeURIComponent(stream.userId)}`, {
      headers: { 'x-api-key': appKey },
    });
    // The new app sees none of the demo app's streams.
    expect({ status: listed.status, body: await listed.json() }).toEqual({ status: 200, body: { streams: [] } });

    // 5. An input that had video, then errors: the stand-in's webhook tells the service, which moves it.
    const inputs = (await (await fetch(`${control}/live-inputs`)).json()) as { uid: string }[];
    expect(inputs).toHaveLength(1);
    const state = (body: unknown) =>
      fetch(`${control}/live-inputs/${inputs[0].uid}/state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await state({ state: 'connected' })).status).toBe(200);
    expect((await state({ state: 'errored', errorCode: 'ERR_GOP_OUT_OF_RANGE' })).status).toBe(200);
    const moved = await waitFor(
      'the stream to move off Cloudflare',
      async () => {
        const res = await fetch(`${api}/api/managed-streams/${stream.streamId}`, { headers: { 'x-api-key': demoKey } });
        const body = (await res.json()) as { strategy: string; strategyReason: string };
        return body.strategy === 'cloudflare' ? undefined : body;
      },
      10_000,
      service.output,
    );
    expect(moved.strategyReason).toMatch(/ERR_GOP_OUT_OF_RANGE/);
    const deliveries = (await (await fetch(`${control}/webhooks`)).json()) as { eventType: string; status?: number }[];
    expect(deliveries).toContainEqual(expect.objectContaining({ eventType: 'live_input.errored', status: 200 }));

    // 6. Ctrl-C: SIGINT to the whole foreground group.
    process.kill(-(service.child.pid ?? 0), 'SIGINT');
    expect(await stopped(service)).toMatch(/^(0|SIGINT)$/);
    expect(service.output()).toMatch(/\[start\] service exited/);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    // 7. The CLI with the service down starts the same embedded Postgres itself.
    const list = await npm(['run', '--silent', 'cli', '--', 'apps:list'], baseEnv);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Demo app/);
    expect(list.stdout).toMatch(/My glasses app/);

    process.kill(-(standIn.child.pid ?? 0), 'SIGINT');
    expect(await stopped(standIn)).toMatch(/^(0|SIGINT)$/);
  }, 120_000);
});
