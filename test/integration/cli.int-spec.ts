import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runCli } from '../../src/cli/cli';
import { createScratchDatabase } from '../../src/database/scratch-database';
import { sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

function capture() {
  const lines = { out: '', err: '' };
  return { lines, io: { out: (text: string) => (lines.out += text), err: (text: string) => (lines.err += text) } };
}

describe('operator CLI', () => {
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    env = {
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: t.config.REDIS_URL,
      ENCRYPTION_KEYS: t.config.ENCRYPTION_KEYS.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      PUBLISH_KEY_SECRET: t.config.PUBLISH_KEY_SECRET,
      RELAY_TOKENS: t.config.RELAY_TOKENS.join(','),
    };
  });
  afterAll(() => t.close());

  it('creates an app and shows its key once; the key works, and only its hash is stored', async () => {
    const { lines, io } = capture();
    expect(await runCli(['apps:create', 'Vision', 'Pro', '--package-name', 'com.example.vision'], env, io)).toBe(0);
    const apiKey = /API key \(shown once, store it now\): (rsk_\S+)/.exec(lines.out)![1];
    expect((await sdk(t.app, apiKey).get('/api/managed-streams')).status).toBe(200);

    const listed = capture();
    expect(await runCli(['apps:list'], env, listed.io)).toBe(0);
    expect(listed.lines.out).toContain('com.example.vision\tVision Pro');
    expect(listed.lines.out).not.toContain(apiKey);

    const again = capture();
    expect(await runCli(['apps:create', 'Vision', '--package-name', 'com.example.vision'], env, again.io)).toBe(1);
    expect(again.lines.err).toContain('already exists');
    expect(await runCli(['nonsense'], env, capture().io)).toBe(1);
  });

  it('re-encrypts stored stream keys under a new key, and the old key can then be dropped', async () => {
    const { apiKey } = await t.createTenant('Rotator');
    const started = await sdk(t.app, apiKey).startStream({
      userId: 'rotate@example.com',
      restreamDestinations: [{ url: 'rtmp://a.rtmp.youtube.com/live2/rotate-me-1234' }],
    });
    expect(started.status).toBe(201);

    const fresh = `k2:${randomBytes(32).toString('base64')}`;
    const rotated = capture();
    expect(await runCli(['keys:rotate'], { ...env, ENCRYPTION_KEYS: `${fresh},${env.ENCRYPTION_KEYS}` }, rotated.io)).toBe(0);
    expect(rotated.lines.out).toContain('"streamDestinations":1');

    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ streamKeyCipher: string }>('SELECT "streamKeyCipher" FROM "StreamDestination"');
    await client.end();
    expect(rows.every((row) => row.streamKeyCipher.startsWith('v1.k2.'))).toBe(true);

    const nothingLeft = capture();
    await runCli(['keys:rotate'], { ...env, ENCRYPTION_KEYS: fresh }, nothingLeft.io);
    expect(nothingLeft.lines.out).toContain('"streamDestinations":0');
  });

  it('stops with a message naming a bad variable', async () => {
    const { lines, io } = capture();
    expect(await runCli(['apps:list'], { ...env, ENCRYPTION_KEYS: 'nope' }, io)).toBe(1);
    expect(lines.err).toContain('ENCRYPTION_KEYS');
  });

  it('migrates an empty database once (the release migration job), and a second run applies nothing', async () => {
    const scratch = await createScratchDatabase(env.DATABASE_URL, 'cli_migrate');
    try {
      const first = capture();
      expect(await runCli(['db:migrate'], { ...env, DATABASE_URL: scratch.url }, first.io)).toBe(0);
      expect(first.lines.out).toMatch(/^Applied [1-9]\d* migration\(s\): \d{14}_/);
      const client = new Client({ connectionString: scratch.url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "Relay"');
      await client.end();
      expect(rows[0].n).toBe(0);
      const second = capture();
      expect(await runCli(['db:migrate'], { ...env, DATABASE_URL: scratch.url }, second.io)).toBe(0);
      expect(second.lines.out).toBe('Applied 0 migration(s)\n');
    } finally {
      await scratch.drop();
    }
  });
});
