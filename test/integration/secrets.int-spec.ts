import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { publishOf, relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

const KEYS = ['yt-SECRET-never-logged-7781', 'tw_SECRET_never_logged_3342', 'saved-SECRET-never-logged-9911'];

/** Every row of every table as text: what a plain dump would show. */
async function dumpAllRows(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await client.query(`SELECT * FROM ${client.escapeIdentifier(tablename)}`);
      parts.push(JSON.stringify(rows.rows));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('stream keys stay secret', () => {
  let t: TestApp;
  let logs = '';
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => (logs += chunk.toString()));

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' }, { logDestination: logStream });
  });
  afterAll(() => t.close());

  it('never writes a key to the database in clear or to a log line, through a full create/get/relay cycle', async () => {
    const { apiKey } = await t.createTenant('Secretive');
    const app = sdk(t.app, apiKey);
    const saved = await app.post('/api/destinations', {
      userId: 'secret@example.com',
      name: 'Saved',
      url: `rtmp://a.rtmp.youtube.com/live2/${KEYS[2]}`,
    });
    expect(saved.status).toBe(201);
    const started = await app.startStream({
      userId: 'secret@example.com',
      restreamDestinations: [
        { url: `rtmp://a.rtmp.youtube.com/live2/${KEYS[0]}` },
        { url: 'rtmps://live.twitch.tv/app', streamKey: KEYS[1] },
      ],
      savedDestinationIds: [saved.body.id],
    });
    expect(started.status).toBe(201);
    const { streamId, ingestUrl } = started.body;
    await app.get(`/api/managed-streams/${streamId}`);
    await app.get('/api/managed-streams?userId=secret@example.com');
    await app.post(`/api/managed-streams/${streamId}/destinations`, { url: 'rtmp://a.rtmp.youtube.com/live2/added-SECRET-4455' });
    const fetched = await relay(t.app).get(`/restream-destinations/secret@example.com/${streamId}`);
    expect(fetched.body.destinations).toHaveLength(4);
    const publishKey = publishOf(ingestUrl).key;
    await relay(t.app).post('/publish-auth', publishOf(ingestUrl));
    await relay(t.app).post('/publish-auth', { path: publishOf(ingestUrl).path, key: 'wrong-key' });
    // A malformed request that echoes a key must not leak it either.
    await app.startStream({ userId: 'secret@example.com', restreamDestinations: [{ url: `ftp://h/${KEYS[0]}` }] });

    const secrets = [...KEYS, 'added-SECRET-4455', publishKey, apiKey];
    const dump = await dumpAllRows(t.config.DATABASE_URL);
    for (const secret of secrets) expect(dump).not.toContain(secret);

    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain(streamId);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
