import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDirtyStream } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream } from '../../relay/testkit/dirty-stream-plan';
import { publishDirtyStream } from '../../relay/testkit/dirty-stream-publisher';
import { RtmpSinks, startRtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { isAlive } from '../../relay/src/process/orphans';
import { sdk } from '../support/api-client';
import { relayTestEnv, waitFor } from '../support/relay-harness';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

/** The agent as its own process (it has no decorators, so tsx runs it from source), to kill it hard. */
function spawnAgent(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../relay/src/main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function pidsIn(runDir: string): Map<string, number> {
  if (!existsSync(runDir)) return new Map();
  return new Map(
    readdirSync(runDir)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => [file, Number(readFileSync(path.join(runDir, file), 'utf8'))]),
  );
}

describe('relay agent restart', () => {
  let t: TestApp;
  let sinks: RtmpSinks;
  let agent: ChildProcess | null = null;
  let env: Record<string, string>;
  const publishing = new AbortController();
  let published: Promise<unknown> = Promise.resolve();
  const workDir = mkdtempSync(path.join(tmpdir(), 'relay-restart-'));

  beforeAll(async () => {
    t = await startTestApp({ RTMP_RELAY_URLS: '', RTMP_RELAY_HLS_URLS: '', ALLOW_PRIVATE_DESTINATIONS: 'true' });
    sinks = await startRtmpSinks({ apps: ['youtube'] });
    env = await relayTestEnv(t.baseUrl, workDir, 'relay-restart');
  });

  afterAll(async () => {
    publishing.abort();
    await published.catch(() => undefined);
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await new Promise((resolve) => agent!.once('exit', resolve));
    }
    for (const pid of pidsIn(path.join(workDir, 'run')).values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    const nginxPid = path.join(workDir, 'run-nginx.pid');
    if (existsSync(nginxPid) && isAlive(Number(readFileSync(nginxPid, 'utf8'))))
      process.kill(Number(readFileSync(nginxPid, 'utf8')), 'SIGKILL');
    await sinks?.stop({ removeFiles: true });
    await t?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('after a crash, leaves no FFmpeg behind, keeps nginx and the publisher, and resumes the stream', async () => {
    agent = spawnAgent(env);
    const app = sdk(t.app, (await t.createTenant('Restart')).apiKey);
    await waitFor('the relay to register', async () => (await app.startStream({ userId: 'probe@example.com' })).status === 201);
    const started = await app.startStream({
      userId: 'restart@example.com',
      restreamDestinations: [{ url: sinks.urlFor('youtube', 'restart-key'), name: 'YouTube' }],
    });
    const { streamId, ingestUrl } = started.body as { streamId: string; ingestUrl: string };
    const dirty = await generateDirtyStream(planDirtyStream(7, 20));
    published = publishDirtyStream(dirty, ingestUrl, { loop: true, signal: publishing.signal });
    const view = async () =>
      (await app.get(`/api/managed-streams/${streamId}`)).body as { status: string; destinations: { status: string }[] };
    await waitFor('broadcasting', async () => (await view()).destinations[0]?.status === 'broadcasting', 20_000);

    const runDir = path.join(workDir, 'run');
    const before = pidsIn(runDir);
    const nginxPid = Number(readFileSync(path.join(workDir, 'run-nginx.pid'), 'utf8'));
    expect(before.size).toBe(1); // the encoder; destinations are the agent's own sessions
    agent.kill('SIGKILL');
    await new Promise((resolve) => agent!.once('exit', resolve));

    // The encoder reads the agent's pipe: it ends with it (or the new agent kills it as an orphan).
    agent = spawnAgent(env);
    await waitFor('the old encoder to be gone', async () => [...before.values()].every((pid) => !isAlive(pid)), 15_000);
    expect(isAlive(nginxPid)).toBe(true);
    await waitFor(
      'new processes for the resumed stream',
      async () => {
        const after = pidsIn(runDir);
        return after.size === 1 && [...after.values()].every((pid) => isAlive(pid) && ![...before.values()].includes(pid));
      },
      15_000,
    );
    await waitFor(
      'the stream to be active and broadcasting again',
      async () => {
        const current = await view();
        return current.status === 'active' && current.destinations[0]?.status === 'broadcasting';
      },
      20_000,
    );
    const report = await Promise.race([
      published.then(() => 'publisher ended'),
      new Promise((resolve) => setTimeout(() => resolve('still publishing'), 100)),
    ]);
    expect(report).toBe('still publishing');
  });
});
